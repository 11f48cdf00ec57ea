//! The ratio summary: criterion reports times, not ratios, so after its groups each bench reads
//! the medians criterion wrote (`<target>/criterion/<group>/<function>/new/estimates.json`) and
//! prints each figure next to its baseline from the same run, with the target when there is one.
//! The summary is also written to `<target>/ldic-bench/summary-<bench>.txt`.

use std::fmt::Write as _;
use std::time::Duration;

/// Criterion's median estimate of `group/function`, if it ran in this target directory.
pub fn median(group: &str, function: &str) -> Option<Duration> {
    let path = crate::criterion_dir()
        .join(group)
        .join(function)
        .join("new")
        .join("estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    let ns = v.get("median")?.get("point_estimate")?.as_f64()?;
    Some(Duration::from_secs_f64(ns / 1e9))
}

/// A human duration: `812 ns`, `14.2 µs`, `3.41 ms`, `1.20 s`.
pub fn fmt_duration(d: Duration) -> String {
    let ns = d.as_secs_f64() * 1e9;
    if ns < 1e3 {
        format!("{ns:.0} ns")
    } else if ns < 1e6 {
        format!("{:.2} µs", ns / 1e3)
    } else if ns < 1e9 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.2} s", ns / 1e9)
    }
}

/// Lines of one bench's summary.
#[derive(Debug)]
pub struct Summary {
    bench: &'static str,
    text: String,
}

impl Summary {
    pub fn new(bench: &'static str) -> Self {
        let mut text = String::new();
        let _ = writeln!(
            text,
            "== ldic-benches {bench}: ratios from this run (load average at the end: {})",
            crate::load_average()
        );
        Summary { bench, text }
    }

    pub fn line(&mut self, line: impl AsRef<str>) {
        self.text.push_str(line.as_ref());
        self.text.push('\n');
    }

    /// `name: a vs baseline b: ratio = x.xx (target <= t: met/MISSED)`, from criterion's medians.
    pub fn ratio(
        &mut self,
        name: &str,
        (group, function): (&str, &str),
        (base_group, base_function): (&str, &str),
        target: Option<f64>,
    ) -> Option<f64> {
        let (Some(a), Some(b)) = (median(group, function), median(base_group, base_function))
        else {
            self.line(format!("{name}: no criterion result (filtered out?)"));
            return None;
        };
        Some(self.ratio_of(name, a, b, &format!("{base_group}/{base_function}"), target))
    }

    /// The same line from two durations measured by the caller.
    pub fn ratio_of(
        &mut self,
        name: &str,
        a: Duration,
        b: Duration,
        baseline: &str,
        target: Option<f64>,
    ) -> f64 {
        let ratio = a.as_secs_f64() / b.as_secs_f64().max(1e-12);
        let verdict = match target {
            Some(t) if ratio <= t => format!(" (target <= {t}: met)"),
            Some(t) => format!(
                " (target <= {t}: MISSED by {:.0}%)",
                (ratio / t - 1.0) * 100.0
            ),
            None => String::new(),
        };
        self.line(format!(
            "{name}: {} vs {baseline} {}: ratio = {ratio:.2}{verdict}",
            fmt_duration(a),
            fmt_duration(b)
        ));
        ratio
    }

    /// Print the summary and write it to `<target>/ldic-bench/summary-<bench>.txt`.
    pub fn finish(self) {
        println!("\n{}", self.text);
        let dir = crate::scratch_dir();
        if std::fs::create_dir_all(&dir).is_ok() {
            let _ = std::fs::write(dir.join(format!("summary-{}.txt", self.bench)), &self.text);
        }
    }
}
