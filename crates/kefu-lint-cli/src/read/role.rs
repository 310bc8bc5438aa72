//! Who sent a message or a table's row: the one decision of whose a role
//! value is (an agent's, checked; a customer's, not), used by chat logs and
//! by tables with a sender column alike, with the notes it leads to and
//! what an input tells of its senders (see [`Senders`]).

pub use kefu_lint::config::AgentRoles;

use super::Document;
use super::names::{NAMES, holds, norm};

/// Whether `role` is written as a Taobao (千牛) sub-account, `店铺名:客服名`:
/// a shop's name and an agent's, either side of one colon (ASCII or full
/// width). Both sides must be names, so that a buyer's nick with a colon is
/// not taken for an agent: a URL (`http://x`), a time (`12:30`) or an
/// emoticon (`小明:)`, `小明:D`) is not one.
fn sub_account(role: &str) -> bool {
    let mut parts = role.split([':', '：']);
    match (parts.next(), parts.next(), parts.next()) {
        (Some(shop), Some(agent), None) => {
            let scheme = [
                "http", "https", "ftp", "file", "mailto", "tel", "sms", "weixin", "taobao",
            ];
            name(shop) && name(agent) && !scheme.contains(&shop.trim().to_ascii_lowercase().as_str())
        }
        _ => false,
    }
}

/// Whether one side of a sub-account is a name: it starts with a letter or
/// a digit, has a letter (Han characters are letters), and, written in
/// ASCII only, has two letters at least (`D` of `:D` is a face, not a name).
fn name(side: &str) -> bool {
    let side = side.trim();
    let letters = side.chars().filter(|c| c.is_alphabetic()).count();
    side.chars().next().is_some_and(char::is_alphanumeric) && letters > 0 && (letters > 1 || !side.is_ascii())
}

/// Whether the field (or column) `field` holds role words (`role`,
/// `fromType`, `角色`) rather than people's names (`sender`, `nick`): its
/// last dotted part is one of `names.toml`'s `role_word_fields`.
pub fn holds_role_words(field: &str) -> bool {
    let last = field.rsplit('.').next().unwrap_or_default();
    holds(&NAMES.role_word_fields, last)
}

/// Whose a role value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// An agent's: checked.
    Agent,
    /// A customer's (or not selected by `--agent-role`): not checked.
    Customer,
    /// A buyer's nick, in a field of names: not checked, and noted.
    Nick,
    /// A role word of neither side: a problem for its message or row.
    Unknown,
}

/// The ASCII words of `role` (folded, lower-cased): runs of letters, split
/// at any other character, at a lower-case letter followed by a capital
/// (`CustomerService`) and between letters and digits (`cs01`).
fn words(role: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut prev: Option<char> = None;
    for c in kefu_lint::fold::fold_str(role).chars() {
        let starts = match prev {
            _ if !c.is_ascii_alphabetic() => {
                prev = None;
                continue;
            }
            None => true,
            Some(p) => p.is_ascii_lowercase() && c.is_ascii_uppercase(),
        };
        if starts {
            out.push(String::new());
        }
        if let Some(word) = out.last_mut() {
            word.push(c.to_ascii_lowercase());
        }
        prev = Some(c);
    }
    out
}

/// Whether `role` is of the kind `within` (text it holds) and `words`
/// (ASCII words, see [`words`]) name.
fn of_kind(role: &str, within: &[String], kind_words: &[String]) -> bool {
    let folded = norm(role);
    within.iter().any(|w| folded.contains(w.as_str())) || words(role).iter().any(|w| kind_words.contains(w))
}

/// Whether `role` names a shop's service role (售前客服, 店小二, Customer
/// Service, mall_cs): `names.toml`'s `agent_within` and `agent_words`.
/// A value of both kinds (会员客服) is an agent's.
pub fn agent_kind(role: &str) -> bool {
    of_kind(role, &NAMES.agent_within, &NAMES.agent_words)
}

/// Whether `role` names a customer (买家, 会员, visitor) and no service
/// role (see [`agent_kind`]).
pub fn customer_kind(role: &str) -> bool {
    !agent_kind(role) && of_kind(role, &NAMES.customer_within, &NAMES.customer_words)
}

/// Whose the value `role` of a field is; `words` when the field holds role
/// words (see [`holds_role_words`]). With `--agent-role`, its patterns
/// decide. Without, a role of the agents' kind ([`agent_kind`]) is an
/// agent's, one of the customers' kind a customer's, one written
/// `店铺名:客服名` a shop's sub-account (an agent's); any other is a
/// buyer's nick in a field of names, and unknown in a field of role words.
pub fn side(role: &str, words: bool, agents: Option<&AgentRoles>) -> Side {
    match agents {
        Some(agents) if agents.matches(role) => Side::Agent,
        Some(_) => Side::Customer,
        None if agent_kind(role) => Side::Agent,
        None if customer_kind(role) => Side::Customer,
        None if sub_account(role) => Side::Agent,
        None if words => Side::Unknown,
        None => Side::Nick,
    }
}

/// How a table reads a sender of neither side (a name neither an agent's
/// nor a customer's, see [`Side::Nick`]), decided from its first rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Neither {
    /// A buyer's nick, not checked: the column holds a sub-account
    /// (`店铺名:客服名`), so the shop's side is written so (a 千牛 export).
    Nick,
    /// A sender the shop may be (a quick-reply library's 发送人 小美),
    /// checked and noted.
    Shop,
}

/// A sender column read: its index, and how its senders of neither side are read.
pub type Read = (usize, Neither);

/// A table's sender column, as [`column`] finds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    /// The column at this index says who sent each row, and its senders of
    /// neither side are read so.
    Read(usize, Neither),
    /// The column at this index has a sender's header, and none of its
    /// values (of the first rows) is an agent's or a customer's: not read.
    Ignored(usize),
    /// No column has a sender's header.
    None,
}

impl Column {
    /// The index of the column read, if one is, and how its senders of
    /// neither side are read.
    pub fn read(self) -> Option<Read> {
        match self {
            Column::Read(j, neither) => Some((j, neither)),
            Column::Ignored(_) | Column::None => None,
        }
    }
}

/// The sender column of a table whose header is `header`, other than its
/// reply column `reply`, `below` the first rows under the header: the one
/// named `given` (`--role-field`), else the first whose header is one of
/// `names.toml`'s `role_headers` (compared as [`norm`] does: 发送方, 角色,
/// sender; not 发送方式 or 客户身份) and some of whose values in `below`
/// are an agent's or a customer's (see [`side`], with `agents` the
/// `--agent-role` given). A quick-reply library's 适用角色 or 发送人数
/// column is not one. Its senders of neither side are buyers' nicks when
/// one of its values in `below` is a sub-account (`店铺名:客服名`), else
/// the shop's (see [`Neither`]), whatever the order of the rows.
///
/// # Errors
/// `given` names no column of the header.
pub fn column(
    header: &[String],
    reply: usize,
    given: Option<&str>,
    below: &[Vec<String>],
    agents: Option<&AgentRoles>,
) -> Result<Column, String> {
    let named = |name: &str| {
        let name = norm(name);
        header
            .iter()
            .enumerate()
            .position(|(j, h)| j != reply && norm(h) == name)
    };
    let neither = |j: usize| {
        let nicks = below
            .iter()
            .filter_map(|row| row.get(j))
            .any(|value| sub_account(value.trim()));
        if nicks { Neither::Nick } else { Neither::Shop }
    };
    if let Some(given) = given {
        return named(given).map(|j| Column::Read(j, neither(j))).ok_or_else(|| {
            format!(
                "--role-field {given:?}: no column of the header is named so (it has {})",
                listed(header.iter().map(String::as_str).filter(|h| !h.trim().is_empty()))
            )
        });
    }
    let Some(j) = NAMES.role_headers.iter().find_map(|f| named(f)) else {
        return Ok(Column::None);
    };
    let known = below.iter().filter_map(|row| row.get(j)).any(|value| {
        let value = value.trim();
        !value.is_empty() && matches!(side(value, true, agents), Side::Agent | Side::Customer)
    });
    Ok(if known {
        Column::Read(j, neither(j))
    } else {
        Column::Ignored(j)
    })
}

/// The note for a table read with its sender column `found` in its header
/// `header`, or with one ignored, or without one when the role options
/// were given.
pub fn column_note(found: Column, header: &[String], options_given: bool) -> Option<(String, String)> {
    let name = |j: usize| header.get(j).map_or("", |h| h.trim());
    let note = match found {
        Column::Read(j, _) => format!(
            "who sent each row is read from its column {:?}; only the agents' rows are checked (--agent-role chooses)",
            name(j)
        ),
        Column::Ignored(j) => format!(
            "column {:?} is not read as the sender: none of its first values is an agent's or a customer's, so every row is checked (--role-field {:?} reads it)",
            name(j),
            name(j)
        ),
        Column::None if options_given => format!(
            "--role-field and --agent-role are not used: the table has no sender column (looked for {}), so every row is checked",
            NAMES.role_headers.join(", ")
        ),
        Column::None => return None,
    };
    Some(("role-column".to_owned(), note))
}

/// Values shown in a note, at most.
pub const SHOWN: usize = 5;

/// `values` (distinct, at most [`SHOWN`]) quoted and joined.
pub fn listed<'a>(values: impl Iterator<Item = &'a str>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for v in values {
        if !seen.contains(&v) {
            seen.push(v);
            // Enough to show, and to say there are more: linear in the values.
            if seen.len() > SHOWN {
                break;
            }
        }
    }
    let more = seen.len() > SHOWN;
    let mut out: Vec<String> = seen.iter().take(SHOWN).map(|v| format!("{v:?}")).collect();
    if more {
        out.push("…".into());
    }
    out.join(", ")
}

/// Adds `value` to `list` unless it holds it or more than [`SHOWN`] values.
fn remember(list: &mut Vec<String>, value: &str) {
    if list.len() <= SHOWN && !list.iter().any(|v| v == value) {
        list.push(value.to_owned());
    }
}

/// What an input (or a piece of one) tells of its senders, for the error
/// when none of its messages is an agent's: said once the whole input is
/// read (see [`RoleSummary::merge`]), for each sheet of a workbook apart.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoleSummary {
    /// The sheet (`None` outside workbooks) and what it tells.
    parts: Vec<(Option<String>, Part)>,
}

/// What one input, or one sheet of a workbook, tells of its senders.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Part {
    /// The role field (or column) read.
    field: String,
    /// Values seen, at most [`SHOWN`] + 1.
    seen: Vec<String>,
    /// Messages (rows) taken as an agent's.
    agents: usize,
    /// Messages (rows) whose sender is not of the customers' kind (see
    /// [`customer_kind`]): none when a chat is a customer's alone.
    others: usize,
}

/// What an input (or a sheet) without an agent message is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoAgent {
    /// Every sender is a customer's: a chat the shop has not answered,
    /// nothing left unchecked (a note).
    Unanswered(String),
    /// The sides could not be told: nothing in it was checked (an error).
    Unchecked(String),
}

impl Part {
    fn merge(&mut self, other: &Part) {
        for value in &other.seen {
            remember(&mut self.seen, value);
        }
        self.agents += other.agents;
        self.others += other.others;
    }

    fn no_agent(&self, agents_given: bool, what: &str) -> Option<NoAgent> {
        if self.agents > 0 {
            return None;
        }
        let seen = listed(self.seen.iter().map(String::as_str));
        if self.others == 0 {
            return Some(NoAgent::Unanswered(format!(
                "no agent message: every sender ({seen}, read from {:?}) is a customer's, a chat the shop has not answered, so there is no reply to check",
                self.field,
            )));
        }
        let how = if agents_given {
            "no value matches --agent-role"
        } else {
            "no value is an agent's"
        };
        Some(NoAgent::Unchecked(format!(
            "no agent message in this {what}, so nothing in it was checked: who sent each message is read from {:?}, which holds {seen} and {how}; --agent-role names the agents' values (globs such as '*:*'), --role-field the field (a dotted path such as sender.role, or a column's header)",
            self.field,
        )))
    }
}

impl RoleSummary {
    /// Adds what a later piece of the same input tells.
    pub fn merge(&mut self, other: &RoleSummary) {
        for (sheet, part) in &other.parts {
            match self.parts.iter_mut().find(|(s, _)| s == sheet) {
                Some((_, mine)) => mine.merge(part),
                None => self.parts.push((sheet.clone(), part.clone())),
            }
        }
    }

    /// For each sheet (`None` outside workbooks) none of whose messages is
    /// an agent's, what it is.
    pub fn no_agent(&self, agents_given: bool) -> Vec<(Option<&str>, NoAgent)> {
        self.parts
            .iter()
            .filter_map(|(sheet, part)| {
                let what = if sheet.is_some() { "sheet" } else { "input" };
                Some((sheet.as_deref(), part.no_agent(agents_given, what)?))
            })
            .collect()
    }
}

/// The senders of one input (or piece), decided one by one with [`side`],
/// and the notes they lead to.
pub struct Senders<'o> {
    agents: Option<&'o AgentRoles>,
    summary: Part,
    sub_accounts: Vec<String>,
    nicks: Vec<String>,
    /// Senders of neither side read as the shop's (see [`Neither::Shop`]).
    shop: Vec<String>,
    /// Whether any value was read.
    any: bool,
}

impl<'o> Senders<'o> {
    /// Senders decided by `--agent-role` `agents` (if given) or by `names.toml`.
    pub fn new(agents: Option<&'o AgentRoles>) -> Senders<'o> {
        Senders {
            agents,
            summary: Part::default(),
            sub_accounts: Vec::new(),
            nicks: Vec::new(),
            shop: Vec::new(),
            any: false,
        }
    }

    /// The senders decided so far, leaving none (for the next sheet).
    pub fn take(&mut self) -> Senders<'o> {
        let fresh = Senders::new(self.agents);
        std::mem::replace(self, fresh)
    }

    /// Whose `role`, a value of `field`, is (see [`side`]); remembered for notes.
    pub fn decide(&mut self, field: &str, role: &str) -> Side {
        self.decide_as(field, role, Neither::Nick)
    }

    /// [`Senders::decide`], with a sender of neither side read as `neither` says.
    fn decide_as(&mut self, field: &str, role: &str, neither: Neither) -> Side {
        if !self.any {
            self.summary.field = field.to_owned();
            self.any = true;
        }
        remember(&mut self.summary.seen, role);
        if !customer_kind(role) {
            self.summary.others += 1;
        }
        let side = side(role, holds_role_words(field), self.agents);
        match side {
            Side::Agent => {
                self.summary.agents += 1;
                if self.agents.is_none() && !agent_kind(role) {
                    remember(&mut self.sub_accounts, role);
                }
            }
            Side::Nick if neither == Neither::Shop => {
                self.summary.agents += 1;
                remember(&mut self.shop, role);
                return Side::Agent;
            }
            Side::Nick => remember(&mut self.nicks, role),
            Side::Customer | Side::Unknown => {}
        }
        side
    }

    /// Whose a table's row is, its sender cell holding `value` in the
    /// column `field`: an empty cell is checked, as a message without a
    /// role is; else as [`Senders::decide`] says, a sender of neither side
    /// read as the table's `neither` (see [`column`]).
    pub fn cell(&mut self, field: &str, value: &str, neither: Neither) -> Side {
        let value = value.trim();
        if value.is_empty() {
            self.checked_without_role();
            return Side::Agent;
        }
        self.decide_as(field.trim(), value, neither)
    }

    /// Counts a message without a role, checked as an agent's.
    pub fn checked_without_role(&mut self) {
        self.summary.agents += 1;
        self.summary.others += 1;
    }

    /// Adds the notes on sub-accounts and buyers' nicks to `doc`, and what
    /// it tells of its senders (nothing if no value was read); `sheet` the
    /// workbook's sheet they are of, if so.
    pub fn finish(self, doc: &mut Document, sheet: Option<&str>) {
        let mut note = |key: &str, note: String| {
            doc.notes.push(match sheet {
                Some(sheet) => (format!("{key} of {sheet}"), format!("sheet {sheet:?}: {note}")),
                None => (key.to_owned(), note),
            });
        };
        if !self.sub_accounts.is_empty() {
            note(
                "sub-accounts",
                format!(
                    "senders written 店铺名:客服名 ({}) are read as the shop's agents and checked; --agent-role chooses",
                    listed(self.sub_accounts.iter().map(String::as_str)),
                ),
            );
        }
        if let Some(first) = self.nicks.first() {
            note(
                "other-senders",
                format!(
                    "other senders ({}) are read as buyers and not checked; --agent-role {first:?} checks them",
                    listed(self.nicks.iter().map(String::as_str)),
                ),
            );
        }
        if !self.shop.is_empty() {
            note(
                "shop-senders",
                format!(
                    "senders of neither side ({}) are checked, as the shop's; --agent-role names the agents to check only theirs",
                    listed(self.shop.iter().map(String::as_str)),
                ),
            );
        }
        if self.any {
            let mine = RoleSummary {
                parts: vec![(sheet.map(str::to_owned), self.summary)],
            };
            match &mut doc.roles {
                Some(summary) => summary.merge(&mine),
                None => doc.roles = Some(mine),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_sub_accounts_and_globs() {
        assert!(sub_account("示例旗舰店:小美"));
        assert!(sub_account("示例旗舰店：小美"));
        assert!(!sub_account("tb123"));
        assert!(!sub_account("a:b:c"));
        assert!(!sub_account(":小美"));
        for agent in ["xx旗舰店:售后01", "Apple Store:Amy", "1号店:小美"] {
            assert!(sub_account(agent), "{agent}");
        }
        for buyer in [
            "小明:)",
            "小明:D",
            "tb1:-)",
            "http://x",
            "https://a.cn",
            "mailto:ab",
            "12:30",
            "店:007",
            "小明:(",
        ] {
            assert!(!sub_account(buyer), "{buyer}");
        }
    }

    #[test]
    fn decides_sides_of_role_words_and_names() {
        for agent in [
            "waiter",
            "mall_cs",
            "CS",
            "kefu",
            "customer_service",
            "商家客服",
            "官方客服",
        ] {
            assert_eq!(side(agent, true, None), Side::Agent, "{agent}");
        }
        assert_eq!(side("customer", true, None), Side::Customer);
        assert_eq!(
            words("CustomerService jd_waiter01"),
            ["customer", "service", "jd", "waiter"]
        );
        // Both kinds: the agent's. Words are whole: "csv" and "users" hold no word of either.
        for both in ["会员客服", "customer_service", "Customer Support", "用户服务staff"] {
            assert!(agent_kind(both) && !customer_kind(both), "{both}");
        }
        for neither in ["csv", "users", "servicemen", "售前", "bot", "张三"] {
            assert!(!agent_kind(neither) && !customer_kind(neither), "{neither}");
        }
        assert_eq!(side("tb123", true, None), Side::Unknown);
        assert_eq!(side("tb123", false, None), Side::Nick);
        assert!(holds_role_words("fromType") && holds_role_words("sender.role") && !holds_role_words("from"));
    }

    #[test]
    fn a_sub_account_in_the_first_rows_makes_other_names_nicks_whatever_their_order() {
        let header: Vec<String> = ["发送者", "内容"].map(String::from).to_vec();
        let rows = |values: &[&str]| -> Vec<Vec<String>> {
            values.iter().map(|v| vec![(*v).to_owned(), "好".to_owned()]).collect()
        };
        for order in [["tb123", "示例旗舰店:小美"], ["示例旗舰店:小美", "tb123"]] {
            let found = column(&header, 1, None, &rows(&order), None);
            assert_eq!(found, Ok(Column::Read(0, Neither::Nick)), "{order:?}");
        }
        let found = column(&header, 1, None, &rows(&["小美", "全部客服"]), None);
        assert_eq!(found, Ok(Column::Read(0, Neither::Shop)));
        let found = column(&header, 1, Some("发送者"), &rows(&["小美"]), None);
        assert_eq!(found, Ok(Column::Read(0, Neither::Shop)));
    }
}
