//! A monthly reporting round, named `YYYY-MM`.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

/// One monthly round. Round `2024-08` is due early in August 2024.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Round {
    pub year: i32,
    pub month: u32,
}

impl Round {
    pub(crate) fn new(year: i32, month: u32) -> Option<Round> {
        (1..=12).contains(&month).then_some(Round { year, month })
    }

    pub(crate) fn next(self) -> Round {
        if self.month == 12 {
            Round {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Round {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub(crate) fn prev(self) -> Round {
        if self.month == 1 {
            Round {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Round {
                year: self.year,
                month: self.month - 1,
            }
        }
    }
}

impl fmt::Display for Round {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Round {
    type Err = String;

    fn from_str(s: &str) -> Result<Round, String> {
        let bad = || format!("「{s}」不是 YYYY-MM 形式的轮次（例如 2024-08）");
        let (y, m) = s.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        Round::new(y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?).ok_or_else(bad)
    }
}

impl Serialize for Round {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_steps() {
        let r: Round = "2024-12".parse().unwrap();
        assert_eq!(r.next().to_string(), "2025-01");
        assert_eq!(r.next().prev(), r);
        assert!("2024-8".parse::<Round>().is_err());
        assert!("2024-13".parse::<Round>().is_err());
    }
}
