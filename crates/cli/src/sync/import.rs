//! `ldic import`: the configurations that exist in LaunchDarkly as files, one per
//! configuration, written atomically. An existing file with the same content is left alone; one
//! with different content is never overwritten silently: it is reported and kept unless
//! `--force` is given (exit 1 when any was kept).

use super::{RemoteArgs, connect};
use crate::{EXIT_OK, EXIT_PROBLEMS};
use anyhow::Context as _;
use std::io::Write as _;
use std::path::Path;

pub fn run(remote: &RemoteArgs, out: &Path, keys: &[String], force: bool) -> anyhow::Result<u8> {
    for key in keys {
        if crate::active_catalog::active().get(key).is_none() {
            anyhow::bail!("unknown integration {key:?} (`ldic list` shows the keys)");
        }
    }
    let client = connect(remote)?;
    let keys: Vec<&str> = if keys.is_empty() {
        crate::active_catalog::active()
            .iter()
            .map(|i| i.key.as_ref())
            .collect()
    } else {
        keys.iter().map(String::as_str).collect()
    };
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut err = anstream::stderr();
    let (mut written, mut same, mut kept) = (0usize, 0usize, 0usize);
    for key in keys {
        let items = ldic_sync::Remote::list(&client, key)
            .map_err(|e| anyhow::anyhow!("cannot list the configurations of {key}: {e}"))?;
        for file in ldic_sync::import_in(crate::active_catalog::active(), key, &items) {
            let path = out.join(&file.file_name);
            let text = serde_json::to_string_pretty(&file.document)? + "\n";
            match std::fs::read_to_string(&path) {
                Ok(existing) if existing == text => {
                    same += 1;
                    continue;
                }
                Ok(_) if !force => {
                    kept += 1;
                    let _ = writeln!(
                        err,
                        "kept {}: it differs from LaunchDarkly's configuration (--force overwrites)",
                        path.display()
                    );
                    continue;
                }
                _ => {}
            }
            crate::atomic::write_atomically(&path, &text)?;
            written += 1;
            let _ = writeln!(err, "wrote {}", path.display());
        }
    }
    let _ = writeln!(
        err,
        "ldic import: {written} written, {same} already up to date, {kept} kept"
    );
    Ok(if kept > 0 { EXIT_PROBLEMS } else { EXIT_OK })
}
