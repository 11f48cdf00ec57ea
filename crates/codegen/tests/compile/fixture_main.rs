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

// ~110 lines: the program a user would write against the generated API, compiled and run by
// `tests/compile.rs`; one `main` keeps it a single readable example.
fn main() {
    // The constructor takes the required fields; builder methods set the optional ones
    // (the structs are `#[non_exhaustive]`: no struct literal outside the catalog crate).
    let config = EveryTypeConfig::new(
        "canary-5ecret",
        Uri::parse("https://hooks.example.com").expect("valid"),
        true,
        Region::OverrideDisabled,
        "b-1",
        vec![Projects::A],
    )
    .with_callback(Secret::new("https://hooks.example.com/canary-5ecret"))
    .with_site(Site::HttpsBExampleEu);
    assert!(config.team_name.is_none() && config.channel.is_none());
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

    // A field the catalog does not know (a newer manifest's, or a typo) is kept, written back
    // unchanged and never shown by Debug (validation reports it as `unknown-field`); wrong
    // values are rejected.
    let mut unknown = json.clone();
    unknown["apikey"] = serde_json::json!("canary-unknown-77");
    let read: EveryTypeConfig = serde_json::from_value(unknown.clone()).expect("unknown fields read");
    assert_eq!(read.unknown_fields.keys().collect::<Vec<_>>(), ["apikey"]);
    assert!(!format!("{read:?}").contains("canary-unknown-77"));
    assert_eq!(serde_json::to_value(&read).expect("serializes"), unknown);
    assert!(config.unknown_fields.is_empty(), "new() knows every field");
    let mut bad_enum = json.clone();
    bad_enum["region"] = serde_json::json!(1);
    assert!(serde_json::from_value::<EveryTypeConfig>(bad_enum).is_err());

    // A value the catalog does not know (a newer manifest's) reads into the catch-all variant
    // and is written back unchanged; the same for multiselect items.
    let mut newer = json.clone();
    newer["region"] = serde_json::json!("mars-1");
    newer["projects"] = serde_json::json!(["a", "z-new"]);
    let read: EveryTypeConfig = serde_json::from_value(newer.clone()).expect("unknown values read");
    assert_eq!(read.region, Region::Unknown("mars-1".to_owned()));
    assert_eq!(read.region.as_str(), "mars-1");
    assert!(!read.region.is_known() && Region::OverrideDisabled.is_known());
    assert_eq!(read.projects, vec![Projects::A, Projects::Unknown("z-new".to_owned())]);
    assert_eq!(serde_json::to_value(&read).expect("serializes"), newer);
    assert_eq!(Region::from_value("eu-west-1"), Region::EuWest1);
    let repeated = serde_json::json!(["z-new", "z-new"]);
    let mut twice = json.clone();
    twice["projects"] = repeated;
    assert!(serde_json::from_value::<EveryTypeConfig>(twice).is_err(), "still unique");
    let mut bad_uri = json;
    bad_uri["endpoint"] = serde_json::json!("hooks.example.com");
    assert!(serde_json::from_value::<EveryTypeConfig>(bad_uri).is_err());

    // FromStr / Display.
    assert_eq!("eu-west-1".parse::<Region>(), Ok(Region::EuWest1));
    assert_eq!(Region::EuWest1.to_string(), "eu-west-1");
    let err = "mars".parse::<Region>().expect_err("not a region");
    assert!(err.to_string().contains("us-east-1"));

    // Naming edge cases are reachable under their documented names.
    let naming = NamingEdgeCasesConfig::new("b")
        .with_skip_ca_verification(true)
        .with_type("t")
        .with_option(generated::naming_edge_cases::Option2::Some)
        .with_mode(generated::naming_edge_cases::Mode::Self_)
        .with_mode_2(generated::naming_edge_cases::Mode2::X);
    assert!(naming.self_2.is_none() && naming._9lives.is_none() && naming.caf_ue9.is_none());
    let json = serde_json::to_value(&naming).expect("serializes");
    assert_eq!(json["type"], "t");
    assert_eq!(json["skip-ca-verification"], true);
    assert_eq!(json["mode"], "self");
    assert_eq!(json["Mode"], "x");

    // Empty structs: `{}` is the only valid value; any other member is kept as unknown (and
    // reported by validation), and only objects are read.
    let empty: generated::_1st_party::N1stPartyConfig =
        serde_json::from_str("{}").expect("empty object");
    assert_eq!(empty, generated::_1st_party::N1stPartyConfig::new());
    assert_eq!(empty, generated::_1st_party::N1stPartyConfig::default());
    let other: generated::_1st_party::N1stPartyConfig =
        serde_json::from_str(r#"{"a":1}"#).expect("unknown member kept");
    assert_eq!(other.unknown_fields.keys().collect::<Vec<_>>(), ["a"]);
    assert!(serde_json::from_str::<generated::_1st_party::N1stPartyConfig>("[]").is_err());
    assert!(serde_json::from_str::<generated::self_::SelfConfig>("{}").is_ok());
    let foo: generated::foo_bar_2::FooBar2Config =
        serde_json::from_str(r#"{"x":true}"#).expect("unknown member kept");
    assert_eq!(foo.unknown_fields.get("x"), Some(&serde_json::json!(true)));

    // The registry.
    let keys: Vec<&str> = generated::INTEGRATIONS.iter().map(|i| i.key.as_ref()).collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(keys, sorted, "registry sorted by key");
    let mut count = SchemaCount(0);
    generated::visit_config_types(&mut count);
    assert_eq!(count.0, 10);
}
