//! One table per enum for what people and programs call its values: the key (JSON, CSV, the
//! command line), the Chinese label (tables, the circular) and any other names people type. From
//! the table, `labels!` makes the enum, `ALL` in table order, `key`, `label`, `names`, `parse`
//! and `Serialize` (as the key), so no label is kept in sync by hand. The check rules have their
//! own registry (`diagnostic::rule`), which adds severities and summaries.

/// `labels! { #[attrs] pub enum Name { Variant = "key", "标签" [, ["别名", …]]; … } }`
macro_rules! labels {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = $key:literal, $label:literal $(, [$($alias:literal),* $(,)?])?;)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $($(#[$vmeta])* $variant,)*
        }

        impl $name {
            /// Every value, in the table's order.
            pub const ALL: [$name; [$($key),*].len()] = [$($name::$variant),*];

            /// The name programs use: JSON and CSV keys, command-line values.
            pub fn key(self) -> &'static str {
                match self {
                    $($name::$variant => $key,)*
                }
            }

            /// The name people read, in Chinese.
            pub fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label,)*
                }
            }

            /// Every name it goes by: the key, the label, then the other names people type.
            #[allow(dead_code, reason = "not every enum is read back from people's text")]
            pub fn names(self) -> &'static [&'static str] {
                match self {
                    $($name::$variant => &[$key, $label $($(, $alias)*)?],)*
                }
            }

            /// By any of its [`names`](Self::names), ignoring surrounding space and ASCII case.
            #[allow(dead_code, reason = "not every enum is read back from people's text")]
            pub fn parse(text: &str) -> Option<$name> {
                let text = text.trim();
                $name::ALL
                    .into_iter()
                    .find(|v| v.names().iter().any(|n| n.eq_ignore_ascii_case(text)))
            }
        }

        impl $crate::labels::Label for $name {
            fn key(self) -> &'static str {
                $name::key(self)
            }
            fn all() -> &'static [$name] {
                &$name::ALL
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.key())
            }
        }
    };
}

pub(crate) use labels;

/// What `labels!` gives every enum, for code generic over them.
pub trait Label: Copy + Eq + 'static {
    fn key(self) -> &'static str;
    fn all() -> &'static [Self];
}

/// How many of each value of a labelled enum: every value present, zeros included. Serialised as
/// an object by key, the keys in alphabetical order.
#[derive(Debug, Clone, PartialEq)]
pub struct Counts<K: Label>(Vec<(K, usize)>);

impl<K: Label> Counts<K> {
    /// Counts each value among `items`.
    pub fn of(items: impl IntoIterator<Item = K>) -> Counts<K> {
        let mut counts = Counts::default();
        for k in items {
            if let Some((_, n)) = counts.0.iter_mut().find(|(x, _)| *x == k) {
                *n += 1;
            }
        }
        counts
    }

    pub fn get(&self, k: K) -> usize {
        self.0.iter().find(|(x, _)| *x == k).map_or(0, |(_, n)| *n)
    }
}

impl<K: Label> Default for Counts<K> {
    fn default() -> Counts<K> {
        Counts(K::all().iter().map(|k| (*k, 0)).collect())
    }
}

impl<K: Label> serde::Serialize for Counts<K> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut by_key: Vec<(&str, usize)> = self.0.iter().map(|(k, n)| (k.key(), *n)).collect();
        by_key.sort_unstable();
        let mut map = s.serialize_map(Some(by_key.len()))?;
        for (k, n) in by_key {
            map.serialize_entry(k, &n)?;
        }
        map.end()
    }
}
