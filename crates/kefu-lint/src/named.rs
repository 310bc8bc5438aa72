//! Reading the one-word settings of configurations and packs (`mode =
//! "draft"`, `severity = "warning"`, `script = "hant"`, `fail-on = "error"`)
//! by name, so that a value of the wrong kind says which names fit
//! (`invalid type: integer `1`, expected one of `draft`, `library``) where a
//! derived enum would say only `wanted string or table`.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserializer;
use serde::de::{self, Visitor};

/// A setting written as one of a few names.
pub(crate) trait Named: Sized + Copy + 'static {
    /// Every value.
    const ALL: &'static [Self];
    /// Their names as written, in the same order.
    const NAMES: &'static [&'static str];
}

/// Deserializes a [`Named`] value from its name; any other name, or a value
/// that is not a string, is an error listing the names.
pub(crate) fn deserialize<'de, D: Deserializer<'de>, T: Named>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_any(Names(PhantomData))
}

/// The value named `name`, if one is.
pub(crate) fn from_name<T: Named>(name: &str) -> Option<T> {
    T::NAMES.iter().position(|n| *n == name).map(|i| T::ALL[i])
}

/// Makes `$type` [`Named`] by its values and their names (an array of
/// string literals, or a constant holding one), in the same order, and
/// deserializable by name ([`deserialize`]).
macro_rules! named {
    ($type:ty, [$($value:expr),+ $(,)?], $names:expr) => {
        impl $crate::named::Named for $type {
            const ALL: &'static [Self] = &[$($value),+];
            const NAMES: &'static [&'static str] = &$names;
        }

        impl<'de> serde::Deserialize<'de> for $type {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::named::deserialize(deserializer)
            }
        }
    };
}
pub(crate) use named;

struct Names<T>(PhantomData<T>);

impl<T: Named> Visitor<'_> for Names<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = T::NAMES.iter().map(|n| format!("`{n}`")).collect();
        write!(f, "one of {}", names.join(", "))
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<T, E> {
        from_name(name).ok_or_else(|| E::unknown_variant(name, T::NAMES))
    }
}

#[cfg(test)]
mod tests {
    use crate::{Mode, Script, Severity};

    #[test]
    fn a_value_of_another_kind_lists_the_names() {
        #[derive(serde::Deserialize, Debug)]
        struct S {
            #[allow(dead_code)]
            mode: Mode,
        }
        let e = toml::from_str::<S>("mode = 1").unwrap_err().to_string();
        assert!(
            e.contains("invalid type: integer `1`, expected one of `draft`, `library`"),
            "{e}"
        );
        let e = toml::from_str::<S>("mode = \"drafts\"").unwrap_err().to_string();
        assert!(
            e.contains("unknown variant `drafts`, expected `draft` or `library`"),
            "{e}"
        );
        assert_eq!(toml::from_str::<S>("mode = \"library\"").unwrap().mode, Mode::Library);
        let severity: Severity = serde_json::from_str("\"warning\"").unwrap();
        assert_eq!(severity, Severity::Warning);
        let script: Script = serde_json::from_str("\"hant\"").unwrap();
        assert_eq!(script, Script::Traditional);
        let e = serde_json::from_str::<Severity>("3").unwrap_err().to_string();
        assert!(e.contains("expected one of `info`, `warning`, `error`"), "{e}");
    }
}
