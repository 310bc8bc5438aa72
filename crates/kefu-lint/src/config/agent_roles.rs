//! `agent-role` (`--agent-role`): which senders of a chat log are the agents.

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

/// `--agent-role`: the glob patterns of the roles whose messages are
/// checked (`'*:*'` selects every Taobao sub-account `店铺名:客服名`),
/// compared without regard to ASCII case, a full-width colon read as `:`
/// in a pattern and in a role alike.
#[derive(Clone, Debug)]
pub struct AgentRoles {
    set: GlobSet,
}

impl AgentRoles {
    /// The patterns, each a glob (`*` any characters, `?` one, `[…]` a class).
    ///
    /// # Errors
    /// A pattern that is empty (it would match no sender), or not a glob,
    /// and why (the caller names the option or setting).
    pub fn new(patterns: &[String]) -> Result<AgentRoles, String> {
        let mut set = GlobSetBuilder::new();
        for pattern in patterns {
            if pattern.trim().is_empty() {
                return Err(format!(
                    "{pattern:?}: an empty pattern matches no sender; name the agents' values (客服, '*:*')"
                ));
            }
            let glob = GlobBuilder::new(&ascii_colons(pattern))
                .case_insensitive(true)
                .literal_separator(false)
                .backslash_escape(true)
                .build()
                .map_err(|e| format!("{pattern:?}: {}", e.kind()))?;
            set.add(glob);
        }
        let set = set.build().map_err(|e| e.to_string())?;
        Ok(AgentRoles { set })
    }

    /// Whether `role` matches a pattern, its full-width colons
    /// (`店铺名：客服名`) read as ASCII ones.
    pub fn matches(&self, role: &str) -> bool {
        self.set.is_match(&*ascii_colons(role))
    }
}

/// `text` with its full-width colons (U+FF1A) as ASCII ones.
fn ascii_colons(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('：') {
        text.replace('：', ":").into()
    } else {
        text.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_are_case_blind_globs_that_read_full_width_colons() {
        let roles = AgentRoles::new(&["*:*".into(), "Bot".into()]).unwrap();
        assert!(roles.matches("示例旗舰店:小美") && roles.matches("bot") && !roles.matches("tb123"));
        assert!(roles.matches("示例旗舰店：小美"));
        // A pattern typed with a Chinese input method's colon matches either colon.
        let typed = AgentRoles::new(&["店铺：*".into()]).unwrap();
        assert!(typed.matches("店铺:小美") && typed.matches("店铺：小美") && !typed.matches("店铺小美"));
        assert!(AgentRoles::new(&["[".into()]).is_err());
        assert!(AgentRoles::new(&[String::new()]).is_err() && AgentRoles::new(&[" ".into()]).is_err());
    }
}
