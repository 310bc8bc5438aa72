//! Checks a few drafts the way a chat console or reply bot would: build the
//! linter once, check every draft, and apply the safe fixes.
//!
//! Run: `cargo run -p kefu-lint --example check_reply`

use kefu_lint::{Applicability, Linter, Severity};

fn main() {
    let linter = Linter::builtin();
    let drafts = [
        "你的订单已经发货了,但是快递有点慢",
        "我們保證明天到貨",
        "好的,马上为您处理哦",
    ];
    for draft in drafts {
        let findings = linter.check(draft);
        let blocking = findings.iter().any(|f| f.severity >= Severity::Warning);
        println!("{draft}");
        for f in &findings {
            println!(
                "  {} {} {:?}: {} (suggest: {})",
                f.severity,
                f.rule,
                f.matched,
                f.message,
                f.suggestions.join(" / ")
            );
        }
        let fixed = linter.fix(draft, Applicability::Safe);
        if fixed.applied > 0 {
            println!("  safe fixes -> {}", fixed.text);
        }
        println!("  {}", if blocking { "hold for review" } else { "ok to send" });
    }
}
