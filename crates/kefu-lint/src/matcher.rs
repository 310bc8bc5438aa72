//! Matching: one Aho-Corasick pass over the folded reply for the patterns,
//! a second for exceptions and softening phrases only when the first found
//! something, the few regular expressions and reply-level checks, turned
//! into raw hits per rule.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use aho_corasick::automaton::Automaton;
use aho_corasick::nfa::noncontiguous;
use aho_corasick::{AhoCorasick, Anchored, MatchKind, dfa};

use crate::excuse::{Covers, Softeners, inside_any};
use crate::fold::{Collapsible, Folded, fold_str, marked_flags};
use crate::latin;
use crate::pack::{BUILTIN_TRIGGERS, PackError};
use crate::quotes::quoted_spans;
use crate::rule::{LazyRegex, Rule, Scope, WordSense};
use crate::trigger;
use crate::words;

/// What a literal in the automaton means for its rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// A phrase the rule flags.
    Pattern,
    /// A longer phrase in which the rule's patterns are innocent.
    Exception,
    /// A phrase that softens a later match.
    Unless,
    /// A phrase that excuses every match of its rule anywhere in the reply.
    Anywhere,
    /// An allowed phrase: nothing inside it is flagged, whatever the rule.
    Allow,
    /// A literal without which the regex at this index cannot match.
    Trigger,
}

/// A literal's rule (index into the linter's rules, or into the regexes
/// for a trigger) and role.
#[derive(Clone, Copy, Debug)]
struct Entry {
    rule: usize,
    role: Role,
}

/// A span of the folded text that one rule flags.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Hit {
    pub rule: usize,
    pub span: Range<usize>,
}

/// Which regexes a search runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Regexes {
    /// Each regex with an occurrence of one of its trigger literals (see
    /// [`trigger::literals`]) in the reply, and those without triggers.
    Triggered,
    /// Every regex on every reply: the reference the triggers must never
    /// change the hits of.
    All,
}

/// Everything needed to find hits for a set of rules.
#[derive(Debug)]
pub(crate) struct Matcher {
    /// The patterns and the regexes' trigger literals, searched in every
    /// reply for all their occurrences (overlapping), so that no literal
    /// hides another that begins inside it (a trigger 您自己 and a pattern
    /// 自己看着办); [`leftmost_longest`] then keeps each rule's own matches
    /// leftmost-longest.
    main: Literals,
    /// Exceptions, softening phrases and allowed phrases, searched (all
    /// occurrences, overlapping) only in a reply where something was found,
    /// and built when that first happens.
    context: Literals,
    regex: Vec<(usize, LazyRegex)>,
    /// Regexes with no trigger literal, run on every reply.
    untriggered: Vec<usize>,
    whole: BTreeMap<String, Vec<usize>>,
    /// The longest `whole` word, in characters.
    whole_longest: usize,
    /// `lacks` rules and an automaton of their words, searched on their own
    /// (a word inside a longer match still counts).
    lacks: Vec<(usize, AhoCorasick)>,
    /// The character flags to fold with: single characters that are a word
    /// of every `lacks` rule (您, 亲, 哦 …) are marked, so most replies
    /// satisfy those rules without a search.
    flags: Vec<u8>,
    scopes: Vec<Scope>,
    in_quotes: Vec<bool>,
    keep_nested: Vec<bool>,
    /// Whether a rule's hits on a word said again and again are one (see
    /// [`join_repeats`]): rules without a fix.
    joins_repeats: Vec<bool>,
    /// For each rule, the rules (indices) it gives way to (`yields-to`).
    yields: Vec<Vec<usize>>,
    /// Each rule's word sense (see [`Matcher::word_excused`]).
    word_sense: Vec<WordSense>,
    collapsible: Collapsible,
}

/// The rule index of an allowed phrase, which excuses every rule's matches.
const ALLOWED: usize = usize::MAX;

/// Replies checked with the NFA before the DFA is built.
const DFA_AFTER: usize = 2_000;

/// A set of literals, what each means, and its automaton.
#[derive(Debug)]
struct Literals {
    /// The literals as a noncontiguous NFA: the quickest automaton to build
    /// (the others are made from it), so a short run (one reply from a chat
    /// console) starts fast. Built with the set, or, for a set made
    /// [`Literals::lazy`], when it is first searched.
    nfa: OnceLock<Option<noncontiguous::NFA>>,
    /// The same literals as a DFA: several times faster to search, built once
    /// a run has searched [`DFA_AFTER`] replies.
    dfa: OnceLock<Option<dfa::DFA>>,
    searched: AtomicUsize,
    literals: Vec<String>,
    kind: MatchKind,
    /// What each literal means (one literal may serve several rules:
    /// 对不起 softens one rule and is an exception of another).
    entries: Vec<Vec<Entry>>,
}

/// Bytes of literals up to which the automata cannot fail to build: a
/// mebibyte makes at most 2^20 states of at most 256 transitions each,
/// 2^28 in all, under the builder's limit of 2^31 state and transition
/// indices. A set within it may wait to be built until it is first needed.
const LAZY_MAX_BYTES: usize = 1 << 20;

impl Literals {
    /// The automaton of `literals`, each once, with their entries.
    ///
    /// # Errors
    /// The automaton builder's, when the literals exceed its size limits.
    fn new<'s>(
        literals: impl Iterator<Item = (&'s str, Entry)>,
        kind: MatchKind,
    ) -> Result<Self, aho_corasick::BuildError> {
        let set = Self::lazy(literals, kind)?;
        if set.nfa.get().is_none() {
            let _ = set.nfa.set(Some(set.build_nfa()?));
        }
        Ok(set)
    }

    /// The literals with their entries, the automaton left to be built when
    /// first searched if they are at most [`LAZY_MAX_BYTES`] (most runs of
    /// a few replies never search a context set), else built now.
    ///
    /// # Errors
    /// The automaton builder's, for a set over [`LAZY_MAX_BYTES`] that
    /// exceeds its size limits.
    fn lazy<'s>(
        literals: impl Iterator<Item = (&'s str, Entry)>,
        kind: MatchKind,
    ) -> Result<Self, aho_corasick::BuildError> {
        let mut unique: Vec<String> = Vec::new();
        let mut entries: Vec<Vec<Entry>> = Vec::new();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (literal, entry) in literals {
            let at = *seen.entry(literal).or_insert_with(|| {
                unique.push(literal.to_owned());
                entries.push(Vec::new());
                unique.len() - 1
            });
            entries[at].push(entry);
        }
        let set = Literals {
            nfa: OnceLock::new(),
            dfa: OnceLock::new(),
            searched: AtomicUsize::new(0),
            literals: unique,
            kind,
            entries,
        };
        if set.literals.iter().map(String::len).sum::<usize>() > LAZY_MAX_BYTES {
            let _ = set.nfa.set(Some(set.build_nfa()?));
        }
        Ok(set)
    }

    fn build_nfa(&self) -> Result<noncontiguous::NFA, aho_corasick::BuildError> {
        noncontiguous::NFA::builder()
            // Dense rows for the start state only: 1 M fewer instructions to
            // build than the default 3, no slower over the first replies.
            .dense_depth(1)
            .match_kind(self.kind)
            .ascii_case_insensitive(true)
            .build(&self.literals)
    }

    /// Calls `found` with the entries and the byte range of every
    /// occurrence of a literal in `text`, overlapping ones included, in the
    /// order they end: with the DFA once the run is long enough.
    fn each_match(&self, text: &str, found: impl FnMut(&[Entry], Range<usize>)) {
        let dfa = self.dfa.get().or_else(|| {
            (self.searched.fetch_add(1, Ordering::Relaxed) >= DFA_AFTER).then(|| {
                self.dfa.get_or_init(|| {
                    dfa::DFA::builder()
                        .match_kind(self.kind)
                        .ascii_case_insensitive(true)
                        .build(&self.literals)
                        .ok()
                })
            })
        });
        match dfa {
            Some(Some(dfa)) => self.scan(dfa, text, found),
            // Within LAZY_MAX_BYTES the build cannot fail (None never happens).
            _ => {
                if let Some(nfa) = self.nfa.get_or_init(|| self.build_nfa().ok()) {
                    self.scan(nfa, text, found);
                }
            }
        }
    }

    /// [`Literals::each_match`] with the automaton `aut`: one state step per
    /// byte, and the state's matches (each literal ending there, overlapping
    /// ones included, as `MatchKind::Standard` keeps them) at a match state.
    #[inline(always)]
    fn scan(&self, aut: &impl Automaton, text: &str, mut found: impl FnMut(&[Entry], Range<usize>)) {
        let Ok(mut sid) = aut.start_state(Anchored::No) else {
            return;
        };
        for (i, &byte) in text.as_bytes().iter().enumerate() {
            sid = aut.next_state(Anchored::No, sid, byte);
            if aut.is_special(sid) && aut.is_match(sid) {
                for k in 0..aut.match_len(sid) {
                    let pattern = aut.match_pattern(sid, k);
                    found(
                        &self.entries[pattern.as_usize()],
                        i + 1 - aut.pattern_len(pattern)..i + 1,
                    );
                }
            }
        }
    }
}

/// Buffers reused from one reply to the next, per thread.
#[derive(Default)]
struct Scratch {
    candidates: Vec<Hit>,
    exceptions: Vec<Hit>,
    unless: Vec<Hit>,
    /// Rules excused in the whole reply by an `unless-anywhere` phrase.
    excused: Vec<usize>,
    covers: Covers,
    softeners: Softeners,
    triggered: Vec<usize>,
    quotes: Vec<Range<usize>>,
    /// The characters of a short reply, for a `whole` comparison.
    core: String,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// Characters that end a clause, for [`Scope::Clause`].
fn ends_clause(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            ',' | '.' | '!' | '?' | ';' | ':' | '~' | '。' | '、' | '…' | '，' | '！' | '？' | '；' | '：' | '～'
        )
}

/// Particles dropped from the end of a reply before a `whole` comparison:
/// Mandarin ones, the Taiwanese 唷 囉 嘍 耶 捏 欸 誒 齁 (folded: 唷 啰 喽 耶 捏
/// 欸 诶 齁; 喲 folds to 哟) and the Hong Kong 喎 嘞 喇 咯 㗎 (喎 folds to 㖞).
fn is_particle(c: char) -> bool {
    matches!(
        c,
        '哦' | '喔'
            | '噢'
            | '呢'
            | '的'
            | '哈'
            | '呀'
            | '啊'
            | '哟'
            | '啦'
            | '嘛'
            | '吧'
            | '了'
            | '唷'
            | '啰'
            | '喽'
            | '耶'
            | '捏'
            | '欸'
            | '诶'
            | '齁'
            | '㖞'
            | '嘞'
            | '喇'
            | '咯'
            | '㗎'
    )
}

impl Matcher {
    /// Builds the automata for `rules` and `allowed` phrases.
    ///
    /// # Errors
    /// A [`PackError`] when an automaton exceeds its size limits: for the
    /// words of a `lacks` rule, that rule; for the literals of all rules
    /// together, the rule with the most literal text.
    pub fn new(rules: &[Rule], allowed: &[String]) -> Result<Self, PackError> {
        let mut main = Vec::new();
        let mut context = Vec::new();
        let mut regex = Vec::new();
        let mut whole: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        fn entry(rule: usize, role: Role) -> impl Fn(&String) -> (&str, Entry) {
            move |literal| (literal.as_str(), Entry { rule, role })
        }
        for (i, rule) in rules.iter().enumerate() {
            main.extend(rule.patterns.iter().map(entry(i, Role::Pattern)));
            context.extend(rule.exceptions.iter().map(entry(i, Role::Exception)));
            context.extend(rule.unless_before.iter().map(entry(i, Role::Unless)));
            context.extend(rule.unless_anywhere.iter().map(entry(i, Role::Anywhere)));
            regex.extend(rule.regex.iter().map(|r| (i, r.clone())));
            for w in &rule.whole {
                whole.entry(w.clone()).or_default().push(i);
            }
        }
        let allowed: Vec<String> = allowed.iter().map(|a| fold_str(a)).filter(|a| !a.is_empty()).collect();
        context.extend(allowed.iter().map(entry(ALLOWED, Role::Allow)));
        let triggers: Vec<Option<Vec<String>>> = regex.iter().map(|(_, r)| triggers_of(r.as_str())).collect();
        let untriggered = triggers
            .iter()
            .enumerate()
            .filter(|(_, t)| t.is_none())
            .map(|(i, _)| i)
            .collect();
        for (i, set) in triggers.iter().enumerate() {
            main.extend(set.iter().flatten().map(entry(i, Role::Trigger)));
        }
        let too_big = |e: aho_corasick::BuildError| {
            let largest = rules.iter().max_by_key(|r| {
                [&r.patterns, &r.exceptions, &r.unless_before, &r.unless_anywhere]
                    .into_iter()
                    .flatten()
                    .map(String::len)
                    .sum::<usize>()
            });
            PackError::of_rule(largest, format!("the phrases are too many for one automaton: {e}"))
        };
        let mut lacks = Vec::new();
        for (i, rule) in rules.iter().enumerate().filter(|(_, r)| !r.lacks.is_empty()) {
            let words = AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(&rule.lacks)
                .map_err(|e| {
                    PackError::of_rule(
                        Some(rule),
                        format!("the `lacks` words are too many for one automaton: {e}"),
                    )
                })?;
            lacks.push((i, words));
        }
        Ok(Matcher {
            main: Literals::new(main.into_iter(), MatchKind::Standard).map_err(too_big)?,
            context: Literals::lazy(context.into_iter(), MatchKind::Standard).map_err(too_big)?,
            regex,
            untriggered,
            whole_longest: whole.keys().map(|w| w.chars().count()).max().unwrap_or(0),
            whole,
            lacks,
            flags: marked_flags(&single_char_lacks(rules)),
            scopes: rules.iter().map(|r| r.unless_scope).collect(),
            in_quotes: rules.iter().map(|r| r.in_quotes).collect(),
            keep_nested: rules.iter().map(|r| r.keep_nested).collect(),
            joins_repeats: rules.iter().map(|r| r.fix.is_none()).collect(),
            yields: rules
                .iter()
                .map(|r| {
                    let named = |o: &Rule| r.yields_to.iter().any(|n| o.is_named(n));
                    (0..rules.len()).filter(|&o| named(&rules[o])).collect()
                })
                .collect(),
            word_sense: rules.iter().map(|r| r.word_sense).collect(),
            collapsible: Collapsible::new(
                rules.iter().flat_map(|r| &r.patterns).map(String::as_str),
                rules
                    .iter()
                    .flat_map(|r| {
                        [
                            &r.patterns,
                            &r.whole,
                            &r.exceptions,
                            &r.unless_before,
                            &r.unless_anywhere,
                            &r.lacks,
                        ]
                    })
                    .flatten()
                    .map(String::as_str)
                    .chain(rules.iter().flat_map(word_sense).map(|w| -> &str { w })),
            ),
        })
    }

    /// Folds `reply` for matching (see [`Folded`]).
    pub fn fold<'a>(&self, reply: &'a str) -> Folded<'a> {
        Folded::with_flags(reply, &self.collapsible, &self.flags)
    }

    /// All hits in the folded reply, sorted by start, leftmost-longest and
    /// non-overlapping within each rule.
    pub fn hits(&self, folded: &Folded<'_>, regexes: Regexes) -> Vec<Hit> {
        SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut scratch) => self.hits_with(folded, regexes, &mut scratch),
            Err(_) => self.hits_with(folded, regexes, &mut Scratch::default()),
        })
    }

    fn hits_with(&self, folded: &Folded<'_>, regexes: Regexes, scratch: &mut Scratch) -> Vec<Hit> {
        let text: &str = &folded.text;
        let Scratch {
            candidates,
            exceptions,
            unless,
            excused,
            covers,
            softeners,
            triggered,
            quotes,
            core,
        } = scratch;
        candidates.clear();
        exceptions.clear();
        unless.clear();
        excused.clear();
        triggered.clear();
        quotes.clear();
        self.main.each_match(text, |entries, span| {
            for entry in entries {
                match entry.role {
                    Role::Trigger => triggered.push(entry.rule),
                    _ => candidates.push(Hit {
                        rule: entry.rule,
                        span: span.clone(),
                    }),
                }
            }
        });
        latin::keep_whole_words(text, candidates);
        triggered.extend_from_slice(&self.untriggered);
        triggered.sort_unstable();
        triggered.dedup();
        if regexes == Regexes::All {
            triggered.clear();
            triggered.extend(0..self.regex.len());
        }
        let spaced = if triggered.is_empty() { None } else { folded.spaced() };
        let texts = std::iter::once((text, None)).chain(spaced.as_ref().map(|(t, to)| (t.as_str(), Some(to))));
        for (variant, to_folded) in texts {
            for (rule, re) in triggered
                .iter()
                .filter_map(|&i| Some((self.regex[i].0, self.regex[i].1.get()?)))
                // Most triggered regexes do not match: asking first needs no
                // room for the groups (captures_iter allocates it each time).
                .filter(|(_, re)| re.is_match(variant))
            {
                for caps in re.captures_iter(variant) {
                    if let Some(m) = caps.get(1).or_else(|| caps.get(0)).filter(|m| !m.is_empty()) {
                        let span = match to_folded {
                            Some(to) => to(m.start())..to(m.end()),
                            None => m.range(),
                        };
                        if !span.is_empty() {
                            candidates.push(Hit { rule, span });
                        }
                    }
                }
            }
        }
        latin::drop_inside_links(text, candidates);
        // What can excuse a candidate is looked for only when there is one.
        if !candidates.is_empty() {
            self.context.each_match(text, |entries, span| {
                for entry in entries {
                    let hit = Hit {
                        rule: entry.rule,
                        span: span.clone(),
                    };
                    match entry.role {
                        Role::Unless => unless.push(hit),
                        // Each rule once: a reply may hold a phrase (已) thousands of times.
                        Role::Anywhere if !excused.contains(&hit.rule) => excused.push(hit.rule),
                        Role::Anywhere => {}
                        _ => exceptions.push(hit),
                    }
                }
            });
            if folded.has_quote {
                quoted_spans(text, quotes);
            }
        }
        covers.rebuild(exceptions);
        softeners.rebuild(unless, text, ends_clause);
        candidates.retain(|c| {
            (self.in_quotes[c.rule] || !inside_any(quotes, &c.span))
                && !excused.contains(&c.rule)
                && !covers.contains(c.rule, &c.span)
                && !covers.contains(ALLOWED, &c.span)
                && !softeners.soften(c.rule, c.span.start, self.scopes[c.rule] == Scope::Reply)
                && !self.word_excused(c, text)
        });
        leftmost_longest(candidates);
        join_repeats(candidates, text, |rule| self.joins_repeats[rule]);
        drop_nested(candidates, |rule| self.keep_nested[rule]);
        if folded.chars > 0 {
            self.reply_hits(folded, candidates, core);
        }
        self.drop_yielding(candidates);
        candidates.sort_by_key(|h| (h.span.start, h.rule, h.span.end));
        candidates.dedup();
        candidates.to_vec()
    }

    /// Drops the hits of rules that give way (`yields-to`) to another rule
    /// with a hit overlapping them. For each such rule: the spans of the
    /// rules it gives way to, sorted, with the furthest end so far, so each
    /// of its hits is asked in logarithmic time.
    fn drop_yielding(&self, hits: &mut Vec<Hit>) {
        let mut yielding: Vec<usize> = hits
            .iter()
            .map(|h| h.rule)
            .filter(|&r| !self.yields[r].is_empty())
            .collect();
        yielding.sort_unstable();
        yielding.dedup();
        for rule in yielding {
            let mut spans: Vec<(usize, usize)> = hits
                .iter()
                .filter(|h| self.yields[rule].contains(&h.rule))
                .map(|h| (h.span.start, h.span.end))
                .collect();
            if spans.is_empty() {
                continue;
            }
            spans.sort_unstable();
            let mut reach = 0;
            for span in &mut spans {
                reach = reach.max(span.1);
                span.1 = reach;
            }
            hits.retain(|h| {
                h.rule != rule || {
                    // The spans starting before this hit ends; one of them overlaps it when the furthest reaches past its start.
                    let before = spans.partition_point(|&(start, _)| start < h.span.end);
                    before == 0 || spans[before - 1].1 <= h.span.start
                }
            });
        }
    }

    /// Whether a hit of a word-sense rule lies inside, or across, a
    /// dictionary word of the reply: one of the strings the table lists for
    /// the matched pattern (see [`words`]) stands in `text` around the hit.
    /// A few byte comparisons per hit, and only for hits of such rules.
    fn word_excused(&self, hit: &Hit, text: &str) -> bool {
        let sense = self.word_sense[hit.rule];
        let Some(pattern) = text.get(hit.span.clone()).filter(|_| sense != WordSense::None) else {
            return false;
        };
        words::excusing(sense, pattern).any(|word| {
            word.match_indices(pattern).any(|(at, _)| {
                let from = hit.span.start.checked_sub(at);
                from.and_then(|from| text.get(from..from + word.len())) == Some(word)
            })
        })
    }

    /// Hits that concern the reply as a whole.
    fn reply_hits(&self, folded: &Folded<'_>, hits: &mut Vec<Hit>, core: &mut String) {
        let text: &str = &folded.text;
        let trimmed = trimmed_range(text);
        if !self.whole.is_empty()
            && folded.chars <= WHOLE_MAX_CHARS
            && let Some(span) = whole_core(text, self.whole_longest, core)
            && let Some(rules) = self.whole.get(core.as_str())
        {
            hits.extend(rules.iter().map(|&rule| Hit {
                rule,
                span: span.clone(),
            }));
        }
        if folded.has_han && !folded.has_marked {
            for (rule, words) in &self.lacks {
                if !words.is_match(text) {
                    hits.push(Hit {
                        rule: *rule,
                        span: trimmed.clone(),
                    });
                }
            }
        }
    }
}

#[cfg(test)]
impl Matcher {
    /// What of the folded reply only the folded text can tell (for
    /// [`crate::prefilter_shares`]): whether a pattern literal occurs, a
    /// regex trigger literal occurs, the reply is short enough for a
    /// whole-reply word, and it lacks a courteous word.
    pub fn needs_folding(&self, folded: &Folded<'_>) -> [bool; 4] {
        let (mut pattern, mut trigger) = (false, false);
        self.main.each_match(&folded.text, |entries, _| {
            for entry in entries {
                match entry.role {
                    Role::Trigger => trigger = true,
                    _ => pattern = true,
                }
            }
        });
        let uncourteous = folded.has_han
            && !folded.has_marked
            && self
                .lacks
                .iter()
                .any(|(_, words)| !words.is_match(folded.text.as_ref()));
        [pattern, trigger, folded.chars <= WHOLE_MAX_CHARS, uncourteous]
    }
}

/// The trigger literals of `pattern` ([`trigger::literals`]): from the table
/// made at build time for a built-in pack's regex, else found now.
fn triggers_of(pattern: &str) -> Option<Vec<String>> {
    match BUILTIN_TRIGGERS.binary_search_by(|(p, _)| (*p).cmp(pattern)) {
        Ok(i) => BUILTIN_TRIGGERS[i]
            .1
            .map(|set| set.iter().map(|&s| s.to_owned()).collect()),
        Err(_) => trigger::literals(pattern),
    }
}

/// The dictionary strings in which a word-sense rule's patterns are innocent
/// (see [`words`]); none for other rules. Folding must not collapse their
/// doubled characters (妈妈的).
fn word_sense(rule: &Rule) -> impl Iterator<Item = &'static str> + '_ {
    rule.patterns.iter().flat_map(|p| words::excusing(rule.word_sense, p))
}

/// The single characters that are a `lacks` word of every rule that has them.
fn single_char_lacks(rules: &[Rule]) -> Vec<char> {
    let mut lacking = rules.iter().filter(|r| !r.lacks.is_empty());
    let singles = |r: &Rule| -> Vec<char> {
        let mut chars: Vec<char> = r.lacks.iter().filter_map(|w| w.parse().ok()).collect();
        chars.sort_unstable();
        chars
    };
    let Some(first) = lacking.next() else { return Vec::new() };
    let mut common = singles(first);
    for rule in lacking {
        let other = singles(rule);
        common.retain(|c| other.binary_search(c).is_ok());
    }
    common
}

/// Replies longer than this (in non-space characters) are never a bare word.
const WHOLE_MAX_CHARS: usize = 24;

/// Keeps, for each rule, the leftmost-longest non-overlapping candidates.
fn leftmost_longest(candidates: &mut Vec<Hit>) {
    candidates.sort_by(|a, b| {
        (a.rule, a.span.start, std::cmp::Reverse(a.span.end)).cmp(&(
            b.rule,
            b.span.start,
            std::cmp::Reverse(b.span.end),
        ))
    });
    let mut last: Option<(usize, usize)> = None;
    candidates.retain(|c| {
        let overlaps = last.is_some_and(|(rule, end)| rule == c.rule && c.span.start < end);
        if !overlaps {
            last = Some((c.rule, c.span.end));
        }
        !overlaps
    });
}

/// Joins a rule's hits on one word said again and again, each starting
/// where the one before ends (哈哈哈哈哈哈 is one laugh, not three), into one
/// hit, for the rules where `joins(rule)` holds: those without a fix, as a
/// fix replaces its span whole. `candidates` are sorted by rule and start.
fn join_repeats(candidates: &mut Vec<Hit>, text: &str, joins: impl Fn(usize) -> bool) {
    candidates.dedup_by(|hit, last| {
        let repeat = last.rule == hit.rule
            && last.span.end == hit.span.start
            && joins(hit.rule)
            && text[last.span.start..].starts_with(&text[hit.span.clone()]);
        if repeat {
            last.span.end = hit.span.end;
        }
        repeat
    });
}

/// Drops hits that lie strictly inside a longer hit of another rule (嗯 in a
/// longer reply-level word, 闭嘴 inside the order 你给我闭嘴), except hits of
/// rules for which `keep(rule)` holds (`keep-nested`: the 你 in 你自己看吧 is
/// still 你 for 您, besides the brush-off).
///
/// One sweep in order of start (longest first): a hit is nested when, of
/// the hits before it, the one of another rule reaching furthest (the
/// earliest of those reaching as far) contains it and is not the same span.
/// Keeping the furthest-reaching hit of two different rules is enough to
/// know that of any rule but one's own.
fn drop_nested(hits: &mut Vec<Hit>, keep: impl Fn(usize) -> bool) {
    if hits.len() < 2 {
        return;
    }
    hits.sort_by_key(|h| (h.span.start, std::cmp::Reverse(h.span.end), h.rule));
    let mut reach = Reach::default();
    hits.retain(|h| {
        let nested = !keep(h.rule)
            && reach
                .other_than(h.rule)
                .is_some_and(|o| o.span.end >= h.span.end && o.span != h.span);
        reach.add(h);
        !nested
    });
}

/// The furthest-reaching hits of two different rules among those seen,
/// furthest first; of hits reaching as far, the one seen first.
#[derive(Default)]
struct Reach([Option<Hit>; 2]);

impl Reach {
    /// The furthest-reaching hit seen whose rule is not `rule`.
    fn other_than(&self, rule: usize) -> Option<&Hit> {
        self.0.iter().flatten().find(|o| o.rule != rule)
    }

    fn add(&mut self, hit: &Hit) {
        let further = |than: &Option<Hit>| than.as_ref().is_none_or(|t| hit.span.end > t.span.end);
        let [first, second] = &mut self.0;
        if first.as_ref().is_some_and(|f| f.rule == hit.rule) {
            if further(first) {
                *first = Some(hit.clone());
            }
        } else if second.as_ref().is_some_and(|s| s.rule == hit.rule) {
            if further(second) {
                *second = Some(hit.clone());
            }
        } else if further(first) {
            *second = first.replace(hit.clone());
        } else if further(second) {
            *second = Some(hit.clone());
        }
        if let (Some(f), Some(s)) = (&first, &second)
            && s.span.end > f.span.end
        {
            std::mem::swap(first, second);
        }
    }
}

fn trimmed_range(text: &str) -> Range<usize> {
    let start = text.len() - text.trim_start().len();
    let end = text.trim_end().len();
    start..end.max(start)
}

/// The words of a reply for a `whole` comparison, and their span: letters and
/// digits only (no punctuation, emoji or `[微笑]`-style emoji codes), without a
/// leading 亲 and without trailing particles (while two characters remain).
/// The words go to `core`. `None` as soon as the words cannot be `longest`
/// characters or fewer.
fn whole_core(text: &str, longest: usize, core: &mut String) -> Option<Range<usize>> {
    const MAX_CHARS: usize = 16;
    let mut kept = [('\0', 0); MAX_CHARS];
    let (mut len, mut plain) = (0, 0);
    let mut in_code = false;
    for (i, c) in text.char_indices() {
        let word = crate::fold::is_han(c) || c.is_ascii_alphanumeric() || (!c.is_ascii() && c.is_alphanumeric());
        match c {
            '[' => in_code = true,
            ']' => in_code = false,
            _ if in_code || !word => {}
            _ => {
                *kept.get_mut(len)? = (c, i);
                len += 1;
                // Only a leading 亲 and trailing particles are dropped: every
                // other word character is part of the core.
                plain += usize::from(c != '亲' && !is_particle(c));
                if plain > longest {
                    return None;
                }
            }
        }
    }
    let kept = &kept[..len];
    let lead = kept.iter().take_while(|(c, _)| *c == '亲').count();
    let mut end = kept.len();
    while end > lead + 2 && is_particle(kept[end - 1].0) {
        end -= 1;
    }
    let words = kept.get(lead..end).filter(|k| !k.is_empty())?;
    core.clear();
    core.extend(words.iter().map(|(c, _)| *c));
    let (last, at) = words[words.len() - 1];
    Some(words[0].1..at + last.len_utf8())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_triggers_are_those_found_at_start() {
        // Every built-in regex is in the table build.rs made, with the
        // literals trigger::literals finds for it now.
        let mut regexes = 0;
        for regex in crate::pack::builtin_rules().iter().flat_map(|r| &r.regex) {
            let at = BUILTIN_TRIGGERS.binary_search_by(|(p, _)| (*p).cmp(regex.as_str()));
            assert!(at.is_ok(), "not in the build-time table: {}", regex.as_str());
            assert_eq!(
                triggers_of(regex.as_str()),
                trigger::literals(regex.as_str()),
                "{}",
                regex.as_str()
            );
            regexes += 1;
        }
        assert!(regexes > 90, "{regexes} built-in regexes");
        // A regex of no built-in pack is not in the table and gets its literals found.
        assert_eq!(
            triggers_of("(?:您|你)自己去"),
            Some(vec!["你自己去".into(), "您自己去".into()])
        );
    }

    /// A test pack named `t` holding `rules` (from [`test_rule`]).
    fn test_pack(rules: &[String]) -> String {
        "[pack]\nname = \"t\"\ndescription = \"test\"\n".to_owned() + &rules.concat()
    }

    /// An `info` rule `id` (named `r-<id>`) with the pack keys `extra`.
    fn test_rule(id: &str, extra: &str) -> String {
        format!(
            "[[rule]]\nid = \"{id}\"\nname = \"r-{}\"\ncategory = \"t\"\nseverity = \"info\"\n\
             summary = \"s\"\nmessage = \"m\"\n{extra}\nsource = {{ seed = \"x.txt\", passage = \"p\" }}\n",
            id.to_lowercase()
        )
    }

    #[test]
    fn whole_core_strips_decoration() {
        let core = |text: &str| {
            let mut words = String::new();
            whole_core(text, 16, &mut words).map(|span| (words, span))
        };
        assert_eq!(core("不行哦。").map(|c| c.0), Some("不行".into()));
        assert_eq!(core("亲,没有的[微笑]").map(|c| c.0), Some("没有".into()));
        assert_eq!(core("嗯").map(|c| c.0), Some("嗯".into()));
        assert_eq!(core("哦哦").map(|c| c.0), Some("哦哦".into()));
        assert_eq!(core("嗯呢").map(|c| c.0), Some("嗯呢".into()));
        assert_eq!(core("!!!"), None);
        assert_eq!(
            core("一二三四五六七八九十一二三四五六"),
            Some(("一二三四五六七八九十一二三四五六".into(), 0..48))
        );
        assert_eq!(core("一二三四五六七八九十一二三四五六七"), None);
        let (_, span) = core(" 嗯。").expect("core");
        assert_eq!(span, 1..4);
        let mut words = String::new();
        assert_eq!(whole_core("亲亲,不可以哦哦哦", 3, &mut words), Some(7..16));
        assert_eq!(words, "不可以");
        assert_eq!(whole_core("亲,不可以吗", 3, &mut words), None);
    }

    #[test]
    fn a_set_within_the_lazy_bound_builds_when_first_searched() {
        let entry = Entry {
            rule: 0,
            role: Role::Exception,
        };
        // A mebibyte of distinct literals, the worst a lazy set may hold.
        let literals: Vec<String> = (0..LAZY_MAX_BYTES / 8).map(|i| format!("{i:08x}")).collect();
        assert_eq!(literals.iter().map(String::len).sum::<usize>(), LAZY_MAX_BYTES);
        let set = Literals::lazy(literals.iter().map(|l| (l.as_str(), entry)), MatchKind::Standard).unwrap();
        assert!(set.nfa.get().is_none(), "built before it was needed");
        let mut found = Vec::new();
        set.each_match("xx0001ffffyy", |_, span| found.push(span));
        assert_eq!(found, vec![2..10_usize]);
        assert!(matches!(set.nfa.get(), Some(Some(_))));
    }

    #[test]
    fn finds_quoted_spans() {
        let quoted = |text: &str| {
            let mut spans = Vec::new();
            quoted_spans(text, &mut spans);
            spans.into_iter().map(|r| text[r].to_owned()).collect::<Vec<_>>()
        };
        assert_eq!(quoted("您说的“不知道”是指「哪个颜色的」呢"), ["不知道", "哪个颜色的"]);
        assert!(quoted("他说“没关闭").is_empty());
    }

    #[test]
    fn single_characters_common_to_every_lacks_rule() {
        let pack = test_pack(&[
            test_rule("T001", r#"lacks = ["您", "请", "谢谢", "哦"]"#),
            test_rule("T002", r#"lacks = ["哦", "您好", "您"]"#),
        ]);
        let rules = crate::pack::load(&[("t.toml", &pack)]).expect("valid pack");
        assert_eq!(single_char_lacks(&rules), ['哦', '您']);
        assert_eq!(single_char_lacks(&rules[..1]), ['哦', '您', '请']);
        assert!(single_char_lacks(&[]).is_empty());
    }

    #[test]
    fn nested_hits_of_other_rules_are_dropped() {
        let mut hits = vec![
            Hit { rule: 0, span: 0..15 },
            Hit { rule: 1, span: 0..3 },
            Hit { rule: 1, span: 15..18 },
            Hit { rule: 2, span: 0..15 },
        ];
        drop_nested(&mut hits, |_| false);
        hits.sort_by_key(|h| h.rule);
        assert_eq!(
            hits,
            vec![
                Hit { rule: 0, span: 0..15 },
                Hit { rule: 1, span: 15..18 },
                Hit { rule: 2, span: 0..15 }
            ]
        );
    }

    proptest::proptest! {
        /// The sweep keeps exactly the hits that no longer hit of another
        /// rule contains (the definition, checked pair by pair).
        #[test]
        fn dropping_nested_hits_agrees_with_the_definition(
            raw in proptest::collection::vec((0..4_usize, 0..12_usize, 1..6_usize), 0..24)
        ) {
            let hits: Vec<Hit> = raw.iter().map(|&(rule, start, len)| Hit { rule, span: start..start + len }).collect();
            let inside = |h: &Hit, o: &Hit| o.rule != h.rule && o.span.start <= h.span.start && h.span.end <= o.span.end && o.span.len() > h.span.len();
            let mut expected: Vec<Hit> = hits.iter().filter(|h| !hits.iter().any(|o| inside(h, o))).cloned().collect();
            let mut kept = hits.clone();
            drop_nested(&mut kept, |_| false);
            let key = |h: &Hit| (h.span.start, h.span.end, h.rule);
            expected.sort_by_key(key);
            kept.sort_by_key(key);
            proptest::prop_assert_eq!(kept, expected);
        }
    }

    #[test]
    fn an_unless_anywhere_phrase_before_or_after_excuses_the_rule_only() {
        let pack = test_pack(&[
            test_rule("T001", "patterns = [\"不能\"]\nunless-anywhere = [\"因为\"]"),
            test_rule("T002", "patterns = [\"不能\"]"),
        ]);
        let linter = crate::Linter::from_packs(&[("t.toml", &pack)]).expect("valid pack");
        let rules = |reply: &str| -> Vec<String> { linter.check(reply).iter().map(|f| f.rule.to_string()).collect() };
        assert_eq!(rules("这个不能改哦"), ["T001", "T002"]);
        assert_eq!(rules("因为已经发货了,这个不能改哦"), ["T002"], "a reason before");
        assert_eq!(
            rules("这个不能改哦,因为已经发货了"),
            ["T002"],
            "a reason after, in another clause"
        );
        assert_eq!(rules("這個不能改,因為已經發貨了"), ["T002"], "in Traditional");
    }

    #[test]
    fn a_rule_gives_way_to_an_overlapping_hit_of_the_rules_it_yields_to() {
        let pack = test_pack(&[
            // Named in another ASCII case than the rule's own id.
            test_rule("T001", "patterns = [\"不能\"]\nyields-to = [\"t002\"]"),
            test_rule("T002", "patterns = [\"我不能\"]"),
            test_rule("T003", "patterns = [\"改价\"]"),
        ]);
        let rules = crate::pack::load(&[("t.toml", &pack)]).expect("valid pack");
        let linter = crate::Linter::from_rules(rules.clone()).expect("a linter");
        let found = |linter: &crate::Linter, reply: &str| -> Vec<(String, String)> {
            linter
                .check(reply)
                .into_iter()
                .map(|f| (f.rule.to_string(), f.matched))
                .collect()
        };
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter().map(|(r, m)| (r.to_string(), m.to_string())).collect()
        };
        assert_eq!(
            found(&linter, "我不能改价,这个也不能"),
            pairs(&[("T002", "我不能"), ("T003", "改价"), ("T001", "不能")]),
            "the 不能 inside 我不能 gives way; the later one stays"
        );
        let without =
            crate::Linter::from_rules(rules.into_iter().filter(|r| &*r.id != "T002").collect()).expect("a linter");
        assert_eq!(
            found(&without, "我不能改价"),
            pairs(&[("T001", "不能"), ("T003", "改价")]),
            "a rule that does not run takes nothing away"
        );
    }

    #[test]
    fn leftmost_longest_per_rule() {
        let mut hits = vec![
            Hit { rule: 0, span: 0..3 },
            Hit { rule: 0, span: 0..6 },
            Hit { rule: 0, span: 3..6 },
            Hit { rule: 1, span: 0..3 },
        ];
        leftmost_longest(&mut hits);
        assert_eq!(hits, vec![Hit { rule: 0, span: 0..6 }, Hit { rule: 1, span: 0..3 }]);
    }

    #[test]
    fn a_word_said_again_and_again_is_one_hit_for_rules_without_a_fix() {
        // 哈哈 three times, then 哈哈 after a comma; rule 1 has a fix.
        let text = "哈哈哈哈哈哈,哈哈你你";
        let mut hits = vec![
            Hit { rule: 0, span: 0..6 },
            Hit { rule: 0, span: 6..12 },
            Hit { rule: 0, span: 12..18 },
            Hit { rule: 0, span: 19..25 },
            Hit { rule: 1, span: 25..28 },
            Hit { rule: 1, span: 28..31 },
        ];
        join_repeats(&mut hits, text, |rule| rule == 0);
        assert_eq!(
            hits,
            vec![
                Hit { rule: 0, span: 0..18 },
                Hit { rule: 0, span: 19..25 },
                Hit { rule: 1, span: 25..28 },
                Hit { rule: 1, span: 28..31 },
            ]
        );
        // Two different words of one rule side by side stay two.
        let mut hits = vec![Hit { rule: 0, span: 0..6 }, Hit { rule: 0, span: 6..12 }];
        join_repeats(&mut hits, "保证肯定", |_| true);
        assert_eq!(hits.len(), 2);
    }
}
