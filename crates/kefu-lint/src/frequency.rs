//! How often each character occurs in real customer-service replies: the
//! counts of `data/char-freq.tsv`, made by `scripts/gen-char-freq.py` from
//! the JD and Taobao agent turns of the shared corpus (235,747 characters,
//! folded by NFKC, to lower case and to Simplified; characters seen fewer
//! than 3 times are left out). Used to choose a regex's rarest trigger literals and to tell
//! whether a decoded text reads as Chinese.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Character, tab, count; a `# total` line gives all characters counted.
const CHAR_FREQ_TSV: &str = include_str!("../data/char-freq.tsv");

struct Table {
    counts: HashMap<char, u32>,
    total: u32,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Table {
            counts: HashMap::new(),
            total: 1,
        };
        for line in CHAR_FREQ_TSV.lines() {
            let Some((key, Ok(n))) = line.split_once('\t').map(|(k, n)| (k, n.parse::<u32>())) else {
                continue;
            };
            let mut chars = key.chars();
            match (key, chars.next(), chars.next()) {
                ("# total", _, _) => table.total = n.max(1),
                (_, Some(c), None) => {
                    table.counts.insert(c, n);
                }
                _ => {}
            }
        }
        table
    })
}

/// How many times `c` (folded: Simplified, lower case, half-width) occurs
/// in the counted replies; 0 for a character seen fewer than 3 times.
pub fn count(c: char) -> u32 {
    table().counts.get(&c).copied().unwrap_or(0)
}

/// The estimated share of positions in real replies at which `literal`
/// (folded) starts: the product of its characters' shares, as if each
/// character were drawn on its own (so 没有 comes out far rarer than 亲).
/// A character the table lacks counts as seen half a time.
pub fn share(literal: &str) -> f64 {
    let total = f64::from(table().total);
    literal
        .chars()
        .map(|c| match count(c) {
            0 => 0.5 / total,
            n => f64::from(n) / total,
        })
        .product()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_reads_as_customer_service_chinese() {
        // 您 and 亲 are among the most frequent characters of replies.
        assert!(count('您') > 1_000 && count('亲') > 1_000);
        assert_eq!(count('龘'), 0);
        assert!(share("没有") < share("亲") / 10.0);
        assert!(share("龘") > 0.0);
    }
}
