//! Compiled (and run) by `tests/compile.rs` next to the fixture catalog that codegen writes into
//! a temporary directory: proves the snapshot output is valid, warning-free Rust that behaves.

#![deny(warnings)]

// A binary crate reports unused `pub` items as dead code; the real catalog is a library.
#[allow(dead_code)]
mod generated;

use generated::every_type::{EveryTypeConfig, Events, Projects, Region, Site};
use generated::naming_edge_cases::NamingEdgeCasesConfig;
use ldic_catalog_core::{ConfigTypeVisitor, IntegrationConfig, Secret, Uri};

struct SchemaCount(usize);

impl ConfigTypeVisitor for SchemaCount {
    fn visit<T: IntegrationConfig>(&mut self) {
        let schema: serde_json::Value =
            serde_json::from_str(T::json_schema()).expect("schema_json is JSON");
        assert_eq!(schema["type"], "object");
        assert_eq!(T::form_list().integration_key, T::INTEGRATION_KEY);
        assert_eq!(T::form_list().kind, T::LIST);
        self.0 += 1;
    }
}

fn main() {
    // A struct literal, every field named.
    let config = EveryTypeConfig {
        api_token: Secret::new("canary-5ecret"),
        team_name: None,
        channel: None,
        endpoint: Uri::parse("https://hooks.example.com").expect("valid"),
        mirror: None,
        callback: Some(Secret::new("https://hooks.example.com/canary-5ecret")),
        verbose: None,
        enabled: true,
        region: Region::OverrideDisabled,
        site: Some(Site::HttpsBExampleEu),
        board: "b-1".to_owned(),
        events: None,
        projects: vec![Projects::A],
        scope: None,
        external_id: None,
        oauth_token: None,
        public_key: None,
        palette: None,
    };
    let debug = format!("{config:?}");
    assert!(!debug.contains("canary-5ecret"), "secrets are redacted in Debug");
    let json = serde_json::to_value(&config).expect("serializes");
    assert_eq!(json["apiToken"], "canary-5ecret", "secrets serialize their value");
    assert_eq!(json["region"], "Override disabled");
    assert_eq!(json["endpoint"], "https://hooks.example.com", "uri kept verbatim");
    assert!(json.get("teamName").is_none(), "None is not serialized");
    let back: EveryTypeConfig = serde_json::from_value(json.clone()).expect("round trip");
    assert_eq!(back, config);

    // Typed defaults.
    assert_eq!(config.channel_or_default(), "#general");
    assert!(!config.verbose_or_default());
    assert_eq!(config.mirror_or_default().as_str(), "https://mirror.example");
    assert_eq!(config.events_or_default(), vec![Events::FlagChanged]);
    assert_eq!(config.site_or_default(), Site::HttpsBExampleEu);

    // Unknown fields and wrong values are rejected.
    let mut unknown = json.clone();
    unknown["apikey"] = serde_json::json!("x");
    assert!(serde_json::from_value::<EveryTypeConfig>(unknown).is_err());
    let mut bad_enum = json.clone();
    bad_enum["region"] = serde_json::json!("mars-1");
    assert!(serde_json::from_value::<EveryTypeConfig>(bad_enum).is_err());
    let mut bad_uri = json;
    bad_uri["endpoint"] = serde_json::json!("hooks.example.com");
    assert!(serde_json::from_value::<EveryTypeConfig>(bad_uri).is_err());

    // FromStr / Display.
    assert_eq!("eu-west-1".parse::<Region>(), Ok(Region::EuWest1));
    assert_eq!(Region::EuWest1.to_string(), "eu-west-1");
    let err = "mars".parse::<Region>().expect_err("not a region");
    assert!(err.to_string().contains("us-east-1"));

    // Naming edge cases are reachable under their documented names.
    let naming = NamingEdgeCasesConfig {
        base_url: "b".to_owned(),
        skip_ca_verification: Some(true),
        url: None,
        detail_column: None,
        type_: Some("t".to_owned()),
        ref_: None,
        self_: None,
        crate_: None,
        self_2: None,
        _9lives: None,
        host_url: None,
        host_url_2: None,
        host_url_3: None,
        host_url2: None,
        caf_ue9: None,
        option: Some(generated::naming_edge_cases::Option2::Some),
        mode: Some(generated::naming_edge_cases::Mode::Self_),
        mode_2: Some(generated::naming_edge_cases::Mode2::X),
    };
    let json = serde_json::to_value(&naming).expect("serializes");
    assert_eq!(json["type"], "t");
    assert_eq!(json["skip-ca-verification"], true);
    assert_eq!(json["mode"], "self");
    assert_eq!(json["Mode"], "x");

    // Empty structs accept only {}.
    let empty: generated::_1st_party::N1stPartyConfig =
        serde_json::from_str("{}").expect("empty object");
    let _ = empty;
    assert!(serde_json::from_str::<generated::_1st_party::N1stPartyConfig>(r#"{"a":1}"#).is_err());
    assert!(serde_json::from_str::<generated::self_::SelfConfig>("{}").is_ok());
    assert!(serde_json::from_str::<generated::foo_bar_2::FooBar2Config>(r#"{"x":true}"#).is_err());

    // The registry.
    let keys: Vec<&str> = generated::INTEGRATIONS.iter().map(|i| i.key.as_ref()).collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(keys, sorted, "registry sorted by key");
    let mut count = SchemaCount(0);
    generated::visit_config_types(&mut count);
    assert_eq!(count.0, 10);
}
