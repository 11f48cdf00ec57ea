//! Git sources (not yet implemented).

use std::path::Path;

use ldic_manifest::facts::UpstreamLock;
use ldic_manifest::tree::UpstreamTree;

#[derive(Debug)]
pub enum Target {
    Pinned,
}

impl Target {
    pub fn from_args(_rev: Option<&str>, _update: bool, _lock: Option<&UpstreamLock>) -> Self {
        Target::Pinned
    }
}

pub fn resolve(
    _url: &str,
    _cache: &Path,
    _target: Target,
) -> anyhow::Result<(UpstreamTree, UpstreamLock)> {
    anyhow::bail!("git sources are not implemented yet")
}
