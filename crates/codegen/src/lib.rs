//! Facts in, Rust tokens and JSON Schemas out: the generator behind `cargo xtask codegen`.
//!
//! The generator is a pure function of the facts in `manifests/` ([`generate_catalog`]): it
//! returns every file of the generated catalog as (path, text), and [`files`] compares them with
//! or writes them to disk. Pieces, in pipeline order:
//!
//! - [`naming`], [`plan`], [`schema`]: re-exported from `ldic-catalog-build`, where every name,
//!   type, metadata and schema decision is made once for the generated catalog and for a catalog
//!   loaded at run time alike;
//! - [`rust`]: quote/prettyplease emitter of the per-integration modules and the registry: it only
//!   turns `ldic-catalog-build`'s output into tokens;
//! - [`files`]: reading `manifests/`, writing atomically, `--check`.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod doc;
pub mod files;
pub mod rust;

pub use ldic_catalog_build::{PlanError, naming, plan, schema};

use ldic_manifest::facts::{IntegrationFacts, UpstreamLock};
use std::path::PathBuf;

/// Why the catalog could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    /// The facts cannot be planned (duplicate keys or lists, an unknown `dependsOn` location).
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// The facts directory cannot be read.
    #[error(transparent)]
    FactsDir(#[from] ldic_catalog_build::FactsDirError),
    /// A bug in the generator: its tokens are not a Rust file.
    #[error("internal error: generated tokens do not parse as a Rust file: {0}")]
    Tokens(String),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A facts file is not usable.
    #[error("{path}{pointer}: {message}")]
    Facts {
        /// The file.
        path: PathBuf,
        /// JSON pointer of the problem in the file.
        pointer: String,
        /// What was expected.
        message: String,
    },
}

/// Where the generated files go, relative to the workspace root.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Directory of the Rust modules (`crates/catalog/src/generated`).
    pub generated_dir: PathBuf,
    /// Directory of the schema files (`crates/catalog/schemas`).
    pub schema_dir: PathBuf,
    /// `include_str!` prefix from a module to the schema directory.
    pub schema_include_prefix: String,
}

impl Layout {
    /// The layout of `crates/catalog`.
    pub fn catalog() -> Self {
        Layout {
            generated_dir: PathBuf::from("crates/catalog/src/generated"),
            schema_dir: PathBuf::from("crates/catalog/schemas"),
            schema_include_prefix: "../../schemas/".to_owned(),
        }
    }
}

/// One generated file: path relative to the workspace root, and its full text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the workspace root.
    pub path: PathBuf,
    /// The whole text.
    pub contents: String,
}

/// Generate every file of the catalog, sorted by path. Pure and deterministic.
pub fn generate_catalog(
    facts: &[IntegrationFacts],
    lock: &UpstreamLock,
    layout: &Layout,
) -> Result<Vec<GeneratedFile>, CodegenError> {
    let catalog = plan::plan_catalog(facts)?;
    let rust_layout = rust::RustLayout {
        schema_include_prefix: layout.schema_include_prefix.clone(),
    };
    let mut out = Vec::new();
    for integration in &catalog.integrations {
        let tokens = rust::integration_tokens(integration, lock, &rust_layout);
        out.push(GeneratedFile {
            path: layout
                .generated_dir
                .join(format!("{}.rs", integration.module)),
            contents: rust::format_file(tokens)?,
        });
        for list in &integration.lists {
            let schema = schema::list_schema(integration, list);
            out.push(GeneratedFile {
                path: layout.schema_dir.join(&list.schema_file),
                contents: schema::schema_text(&schema),
            });
        }
    }
    out.push(GeneratedFile {
        path: layout.generated_dir.join("mod.rs"),
        contents: rust::format_file(rust::registry_tokens(&catalog, lock))?,
    });
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}
