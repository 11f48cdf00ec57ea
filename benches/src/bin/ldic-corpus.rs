//! `ldic-corpus DIR [FILES]`: write the lint corpus (default 10,000 files) into DIR, for the peer
//! script and for trying `ldic lint` by hand. Prints what it holds.

#![forbid(unsafe_code)]

use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args_os().skip(1);
    let dir = PathBuf::from(
        args.next()
            .ok_or_else(|| anyhow::anyhow!("usage: ldic-corpus DIR [FILES]"))?,
    );
    let files = match args.next() {
        Some(n) => n
            .to_string_lossy()
            .parse::<usize>()
            .map_err(|e| anyhow::anyhow!("FILES must be a number: {e}"))?,
        None => 10_000,
    };
    let stats = ldic_benches::corpus::ensure(&dir, files)?;
    println!(
        "{}: {} files ({} JSON, {} YAML), {} with mistakes",
        dir.display(),
        stats.files,
        stats.json,
        stats.yaml,
        stats.invalid
    );
    Ok(())
}
