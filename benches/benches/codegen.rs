//! `cargo xtask codegen` in process: `manifests/` -> every file of the generated catalog.
//!
//! - `load-facts`: read and parse `manifests/*.json` (`ldic_codegen::files::load_facts_dir`), the
//!   baseline: the part of codegen that is plain I/O and serde;
//! - `generate`: load, then `ldic_codegen::generate_catalog` (plan, quote, prettyplease, JSON
//!   Schemas) for the whole catalog. Nothing is written: the comparison with the files on disk
//!   is `--check`'s business, not generation's.
//!
//! Target: the whole catalog in under 200 ms.

use ldic_benches::summary::{Summary, fmt_duration, median};
use ldic_benches::{is_measuring, workspace_root};
use ldic_codegen::files::load_facts_dir;
use ldic_codegen::{Layout, generate_catalog};
use std::hint::black_box;
use std::time::Duration;

fn main() -> anyhow::Result<()> {
    if !is_measuring() {
        println!("codegen: nothing to do outside `cargo bench`");
        return Ok(());
    }
    let manifests = workspace_root().join("manifests");
    let layout = Layout::catalog();
    let (facts, lock) = load_facts_dir(&manifests)?;
    let files = generate_catalog(&facts, &lock, &layout)?;
    let bytes: usize = files.iter().map(|f| f.contents.len()).sum();

    let mut c = ldic_benches::configured(10, 3);
    let mut g = c.benchmark_group("codegen");
    g.bench_function("load-facts", |b| {
        b.iter(|| black_box(load_facts_dir(black_box(&manifests))));
    });
    g.bench_function("generate", |b| {
        b.iter(|| -> Result<usize, ldic_codegen::CodegenError> {
            let (facts, lock) = load_facts_dir(black_box(&manifests))?;
            Ok(generate_catalog(&facts, &lock, &layout)?.len())
        });
    });
    g.bench_function("generate-only", |b| {
        b.iter(|| black_box(generate_catalog(black_box(&facts), &lock, &layout).map(|f| f.len())));
    });
    g.finish();
    c.final_summary();

    let mut s = Summary::new("codegen");
    s.line(format!(
        "{} integrations -> {} files, {:.1} MB of generated text",
        facts.len(),
        files.len(),
        bytes as f64 / 1e6
    ));
    s.ratio(
        "codegen of the full catalog (load + generate)",
        ("codegen", "generate"),
        ("codegen", "load-facts"),
        None,
    );
    if let Some(d) = median("codegen", "generate") {
        let verdict = if d < Duration::from_millis(200) {
            "met".to_owned()
        } else {
            format!("MISSED by {:.0}%", (d.as_secs_f64() / 0.2 - 1.0) * 100.0)
        };
        s.line(format!(
            "codegen of the full catalog: {} (target < 200 ms: {verdict})",
            fmt_duration(d)
        ));
    }
    if let (Some(all), Some(gen_only)) = (
        median("codegen", "generate"),
        median("codegen", "generate-only"),
    ) {
        s.line(format!(
            "  of which generation (plan + quote + prettyplease + schemas): {} ({:.0}%)",
            fmt_duration(gen_only),
            gen_only.as_secs_f64() / all.as_secs_f64() * 100.0
        ));
    }
    s.finish();
    Ok(())
}
