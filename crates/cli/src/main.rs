//! The `ldic` command-line tool: lint integration configuration files kept in git, print their
//! JSON Schemas, browse the catalog, and create configurations in LaunchDarkly.
//!
//! Exit codes: 0 clean, 1 problems found (or LaunchDarkly refused), 2 usage or I/O error.
#![forbid(unsafe_code)]

/// mimalloc instead of the system allocator: each file's findings are allocated by the worker that
/// lints it and freed by whichever worker hands them on, which glibc's per-thread arenas pay for
/// (BENCHMARKS.md, "Lint on two cores").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::Context as _;
use clap::{Parser, Subcommand, ValueEnum};
use ldic_cli::config::EnvArgs;
use ldic_cli::{
    EXIT_OK, EXIT_USAGE, catalog_view, create, lint, output, print_out, schema, settings,
};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Lint LaunchDarkly integration configuration files, and create them.
#[derive(Debug, Parser)]
#[command(name = "ldic", version, about, long_about = None, max_term_width = 100)]
struct Cli {
    /// When to use colour (NO_COLOR is honoured in `auto`).
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true)]
    color: ColorWhen,

    /// Check against the catalog in this facts directory (`<key>.json` per integration and
    /// `upstream.lock`, as `cargo xtask fetch` writes them) instead of the built-in one; else
    /// LDIC_CATALOG_DIR, else `catalog` in ldic.toml, else the one `ldic catalog update` stored
    /// in the user cache directory. A directory that cannot be loaded is a warning, and the
    /// built-in catalog is used. For `catalog update`/`reset`: the directory to write/remove.
    #[arg(long, value_name = "DIR", env = "LDIC_CATALOG_DIR", global = true)]
    catalog: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check configuration files (JSON or YAML) and report every problem with its position.
    Lint(LintCli),
    /// Validate a configuration file and create its configurations in LaunchDarkly.
    ///
    /// The API token is read from LD_API_KEY. `${env:NAME}` references are resolved from the
    /// environment just before sending.
    Create {
        /// The configuration file (JSON or YAML; one or more configurations).
        file: PathBuf,
        /// Print the exact requests, secrets redacted, and send nothing.
        #[arg(long)]
        dry_run: bool,
        /// LaunchDarkly base URL.
        #[arg(
            long,
            env = "LD_BASE_URL",
            default_value = "https://app.launchdarkly.com"
        )]
        base_url: String,
        #[command(flatten)]
        env: EnvArgs,
    },
    /// Show what `apply` would do: compare the files with LaunchDarkly (never writes).
    ///
    /// Exit 0 when the plan was made, 1 when a file is invalid or a configuration conflicts
    /// (or, with --exit-code, when changes are pending), 2 on usage, network or auth errors.
    Plan {
        #[command(flatten)]
        args: ldic_cli::sync::PlanArgs,
        /// Output format.
        #[arg(long, short, value_enum, default_value_t = ldic_cli::sync::plan::PlanFormat::Human)]
        format: ldic_cli::sync::plan::PlanFormat,
        /// Exit 1 when changes are pending (like `git diff --exit-code`).
        #[arg(long)]
        exit_code: bool,
    },
    /// Make LaunchDarkly match the files: create, update (JSON Patch) and, with --prune, delete.
    Apply {
        #[command(flatten)]
        args: ldic_cli::sync::PlanArgs,
        /// Do not ask for confirmation (required when stdin is not a terminal).
        #[arg(long, short)]
        yes: bool,
        /// How many requests may be in flight at once.
        #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=32))]
        concurrency: u16,
    },
    /// Write the configurations that exist in LaunchDarkly as files, one per configuration.
    Import {
        /// Integration keys to import. Default: every integration of the catalog.
        keys: Vec<String>,
        /// Directory to write into.
        #[arg(long, value_name = "DIR", default_value = ".")]
        out: PathBuf,
        /// Overwrite files whose content differs from LaunchDarkly's configuration.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        remote: ldic_cli::sync::RemoteArgs,
    },
    /// Print the JSON Schema of a configuration file for an integration, or write them all.
    Schema {
        /// The integration key.
        #[arg(required_unless_present = "out", conflicts_with = "out")]
        key: Option<String>,
        /// Write every integration's schema, plus `ldic.schema.json` dispatching on
        /// integrationKey, into this directory.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// List the integrations of the catalog.
    List {
        /// Output format.
        #[arg(long, short, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Show the fields of an integration: key, label, type, required, secret, default, allowed values.
    Explain {
        /// The integration key.
        key: String,
    },
    /// Run the language server on stdin/stdout, for editors.
    ///
    /// Shows `ldic lint`'s diagnostics while a configuration is typed, offers their fixes as
    /// code actions, hovers fields and integration keys, and completes integration keys, fields
    /// and allowed values. Documents that are not configurations get no diagnostics.
    Lsp {
        /// How long a document must go unchanged before it is checked again, in milliseconds.
        #[arg(long, value_name = "MS", default_value_t = 200)]
        debounce_ms: u64,
    },
    /// The catalog in use (`--catalog`, LDIC_CATALOG_DIR, ldic.toml, the one `ldic catalog
    /// update` stored in the user cache directory, or the built-in one): status, update, reset.
    Catalog {
        #[command(subcommand)]
        action: CatalogAction,
    },
}

/// The flags of `ldic lint`.
#[derive(Debug, clap::Args)]
#[allow(rustdoc::broken_intra_doc_links)] // `[*]` is help text (the fixable marker), not a link
struct LintCli {
    /// Files and directories (searched recursively for .json, .yaml, .yml, honouring
    /// .gitignore, .ignore and .ldicignore). Default: the current directory.
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = output::OutputFormat::Human)]
    format: output::OutputFormat,
    /// Exit 1 on warnings too.
    #[arg(long)]
    deny_warnings: bool,
    /// Print errors only: no warnings, no summary, no progress.
    #[arg(long, short)]
    quiet: bool,
    /// Skip named files that do not mention `integrationKey` too (files found in directories
    /// always are). For pre-commit, which names every changed JSON and YAML file.
    #[arg(long)]
    configs_only: bool,
    /// Resolve `${env:NAME}` references from the environment and check the resolved values
    /// against their fields (an unset variable is then an error naming it).
    #[arg(long)]
    resolve_env: bool,
    #[command(flatten)]
    env: EnvArgs,
    /// The settings file (default: the `ldic.toml` nearest above the first path).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Apply the safe fixes in place (marked [*]), then report what is left.
    #[arg(long)]
    fix: bool,
    /// With --fix or --diff: apply the suggested fixes (did you mean) too.
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print what --fix would change as a unified diff, and write nothing (exit 1 when a
    /// file would change).
    #[arg(long)]
    diff: bool,
    /// With `-` as the path: the name of the document read from stdin (its format, and the
    /// name in diagnostics).
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<PathBuf>,
    /// Files linted at once (default: one per core). The output is the same for any number.
    #[arg(long, value_name = "N", env = "LDIC_THREADS")]
    threads: Option<std::num::NonZeroUsize>,
}

#[derive(Debug, Subcommand)]
enum CatalogAction {
    /// Say which catalog is in use, where it came from, how old and how big it is.
    Status,
    /// Fetch the integration manifests from the LaunchDarkly API (token from LD_API_KEY) and
    /// store them as the catalog: in `--catalog DIR`, else LDIC_CATALOG_DIR, else
    /// `<user cache dir>/ldic/catalog`, which every command then uses. Prints unusable items as
    /// warnings and the changes against the built-in catalog. The catalog reflects one account.
    Update {
        /// LaunchDarkly base URL (https, or http to a loopback host only).
        #[arg(long, value_name = "URL", env = "LD_BASE_URL")]
        base_url: Option<String>,
        /// Largest response accepted, in bytes.
        #[arg(long, value_name = "BYTES", default_value_t = ldic_cli::catalog_update::DEFAULT_MAX_BYTES, hide = true)]
        max_response_bytes: u64,
    },
    /// Remove the stored catalog (`--catalog DIR`, else LDIC_CATALOG_DIR, else the one in the user
    /// cache directory), so the built-in catalog is used again.
    Reset,
}

/// Which environment variables `${env:NAME}` may reference.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.color {
        ColorWhen::Auto => {}
        ColorWhen::Always => anstream::ColorChoice::Always.write_global(),
        ColorWhen::Never => anstream::ColorChoice::Never.write_global(),
    }
    let manages_store = matches!(
        cli.command,
        Command::Catalog {
            action: CatalogAction::Update { .. } | CatalogAction::Reset
        }
    );
    if manages_store {
        // The directory is the target, not the catalog to check against.
    } else if let Some(dir) = &cli.catalog {
        note(&ldic_cli::active_catalog::use_dir(dir));
    } else if !matches!(
        cli.command,
        Command::Lint(_) | Command::Plan { .. } | Command::Apply { .. }
    ) && let Some(line) = ldic_cli::active_catalog::use_stored_default()
    {
        // `lint`, `plan` and `apply` read ldic.toml first, and do this after it.
        note(&line);
    }
    let result = match cli.command {
        Command::Lint(lint) => run_lint(lint, cli.catalog.is_none()),
        Command::Create {
            file,
            dry_run,
            base_url,
            env,
        } => env
            .policy(true)
            .and_then(|policy| create::run_with(&file, dry_run, &base_url, &policy)),
        Command::Plan {
            args,
            format,
            exit_code,
        } => with_settings("plan", cli.catalog.is_some(), args)
            .and_then(|args| ldic_cli::sync::plan::run(&args, format, exit_code)),
        Command::Apply {
            args,
            yes,
            concurrency,
        } => with_settings("apply", cli.catalog.is_some(), args)
            .and_then(|args| ldic_cli::sync::apply::run(&args, yes, usize::from(concurrency))),
        Command::Import {
            keys,
            out,
            force,
            remote,
        } => ldic_cli::sync::import::run(&remote, &out, &keys, force),
        Command::Schema { key, out } => run_schema(key.as_deref(), out.as_deref()),
        Command::List { format } => run_list(format),
        Command::Explain { key } => match catalog_view::lookup(&key) {
            Ok(i) => print_out(&catalog_view::explain(i)).map(|()| EXIT_OK),
            Err(msg) => Err(anyhow::anyhow!(msg)),
        },
        Command::Lsp { debounce_ms } => ldic_cli::lsp::run_stdio(ldic_cli::lsp::Options {
            debounce: std::time::Duration::from_millis(debounce_ms),
        }),
        Command::Catalog { action } => run_catalog(action, cli.catalog.as_deref()),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let _ = writeln!(anstream::stderr(), "error: {e:#}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// `ldic lint`: `ldic.toml` (found upward, or given), then the run (`catalog_unset`: no
/// `--catalog`, so the settings' catalog applies).
fn run_lint(lint: LintCli, catalog_unset: bool) -> anyhow::Result<u8> {
    let settings = load_settings("lint", lint.config.as_deref(), &lint.paths, lint.quiet)?;
    let mut env = lint.env;
    let mut paths = lint.paths;
    if catalog_unset {
        use_settings_catalog(settings.as_ref(), lint.quiet);
    }
    if let Some(s) = &settings {
        if env.env_allow.is_empty() {
            env.env_allow.clone_from(&s.env_allow);
        }
        if paths.is_empty() {
            paths.clone_from(&s.paths);
        }
    }
    let args = ldic_cli::lint_run::LintArgs {
        paths,
        format: lint.format,
        deny_warnings: lint.deny_warnings,
        quiet: lint.quiet,
        configs_only: lint.configs_only,
        mode: ldic_cli::fix::FixMode {
            fix: lint.fix,
            unsafe_fixes: lint.unsafe_fixes,
            diff: lint.diff,
        },
        threads: ldic_cli::parallel::threads(lint.threads),
        stdin_filename: lint.stdin_filename,
    };
    let policy = env.policy(lint.resolve_env)?;
    ldic_cli::lint_run::run(&args, &policy, settings.as_ref())
}

/// `ldic catalog status|update|reset` (`dir`: `--catalog`).
fn run_catalog(action: CatalogAction, dir: Option<&Path>) -> anyhow::Result<u8> {
    let report = match action {
        CatalogAction::Status => ldic_cli::active_catalog::status(),
        CatalogAction::Update {
            base_url,
            max_response_bytes,
        } => {
            let dir = ldic_cli::catalog_update::target_dir(dir)?;
            ldic_cli::catalog_update::update(
                &dir,
                &ldic_cli::catalog_update::UpdateOptions {
                    base_url,
                    max_bytes: max_response_bytes,
                    token: ldic_cli::catalog_update::token_from_env(),
                },
            )?
        }
        CatalogAction::Reset => {
            let dir = ldic_cli::catalog_update::target_dir(dir)?;
            ldic_cli::catalog_update::reset(&dir)?
        }
    };
    print_out(&report).map(|()| EXIT_OK)
}

/// A line on stderr: which catalog is used, or why a catalog directory is not.
fn note(line: &str) {
    let _ = writeln!(anstream::stderr(), "ldic: {line}");
}

/// The settings file given, or the one found upward from the first path; `None` without one.
/// `plan` and `apply` read the same `ldic.toml` as `lint`: its default paths and `env-allow`
/// apply when the flags do not give them.
fn with_settings(
    command: &str,
    catalog_given: bool,
    mut args: ldic_cli::sync::PlanArgs,
) -> anyhow::Result<ldic_cli::sync::PlanArgs> {
    let settings = load_settings(command, None, &args.paths, false)?;
    if !catalog_given {
        use_settings_catalog(settings.as_ref(), false);
    }
    if let Some(s) = settings {
        if args.env.env_allow.is_empty() {
            args.env.env_allow.clone_from(&s.env_allow);
        }
        if args.paths.is_empty() {
            args.paths.clone_from(&s.paths);
        }
    }
    Ok(args)
}

/// When `--catalog` (or its environment variable) named none: the `catalog` directory of
/// `ldic.toml`, else the one `ldic catalog update` stored, else the built-in catalog.
fn use_settings_catalog(settings: Option<&settings::Settings>, quiet: bool) {
    let line = match settings.and_then(|s| s.catalog.as_deref()) {
        Some(dir) => Some(ldic_cli::active_catalog::use_dir(dir)),
        None => ldic_cli::active_catalog::use_stored_default(),
    };
    if let Some(line) = line
        && (!quiet || line.starts_with("warning"))
    {
        note(&line);
    }
}

fn load_settings(
    command: &str,
    given: Option<&Path>,
    paths: &[PathBuf],
    quiet: bool,
) -> anyhow::Result<Option<settings::Settings>> {
    let start = paths.first().map_or(Path::new("."), PathBuf::as_path);
    let Some(file) = given
        .map(Path::to_path_buf)
        .or_else(|| settings::discover(start))
    else {
        return Ok(None);
    };
    let loaded = settings::Settings::load(&file)?;
    if !quiet {
        let _ = writeln!(
            anstream::stderr(),
            "ldic {command}: settings from {}",
            lint::display_path(&file)
        );
    }
    Ok(Some(loaded))
}

fn run_schema(key: Option<&str>, out: Option<&Path>) -> anyhow::Result<u8> {
    if let Some(dir) = out {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create directory {}", dir.display()))?;
        let mut written = 0usize;
        for integration in ldic_cli::active_catalog::active().iter() {
            let schema = schema::for_integration(integration);
            write_json_atomically(&dir.join(schema::file_name(&integration.key)), &schema)?;
            written += 1;
        }
        write_json_atomically(&dir.join(schema::COMBINED_FILE), &schema::combined())?;
        let _ = writeln!(
            anstream::stderr(),
            "wrote {written} integration schemas and {} to {}",
            schema::COMBINED_FILE,
            dir.display()
        );
        return Ok(EXIT_OK);
    }
    let Some(key) = key else {
        anyhow::bail!("give an integration key or --out DIR");
    };
    let integration = catalog_view::lookup(key).map_err(anyhow::Error::msg)?;
    let text = serde_json::to_string_pretty(&schema::for_integration(integration))?;
    print_out(&(text + "\n"))?;
    Ok(EXIT_OK)
}

/// Write pretty JSON and a final newline, never half a file.
fn write_json_atomically(path: &Path, value: &serde_json::Value) -> anyhow::Result<()> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    ldic_cli::atomic::write_atomically(path, &text)
}

fn run_list(format: ListFormat) -> anyhow::Result<u8> {
    match format {
        ListFormat::Text => print_out(&catalog_view::list_text())?,
        ListFormat::Json => {
            print_out(&(serde_json::to_string_pretty(&catalog_view::list_json())? + "\n"))?;
        }
    }
    Ok(EXIT_OK)
}
