//! Print the report of a realistic mistaken create request for Datadog (the README example).
//!
//! `cargo run -p ldic-validate --example report`

fn main() {
    let body = serde_json::json!({
        "name": "Datadog (production)",
        "configValues": {
            "apikey": "dd-0123456789abcdef",
            "hostURL": "https://api.datadoghq.eu/",
            "hideMemberDetails": "yes"
        },
        "enabled": true,
        "tags": ["ops"],
        "capabilityConfig": {
            "auditLogEventsHook": {
                "statements": [{
                    "effect": "allow",
                    "resources": ["proj/*:env/production:flags/*"],
                    "notResources": ["proj/*:env/test:flag/*"],
                    "actions": ["*"]
                }]
            },
            "approvals": {}
        }
    });
    let report = ldic_validate::validate("datadog", &body);
    println!("{report}");
    println!("ok: {}", report.is_ok());
}
