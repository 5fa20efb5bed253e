//! Investments: the project an amount is paid for, and amounts in their base unit.

use super::{Investment, Relator};
use crate::resolve::Resolution;
use crate::vocab::Class;
use regex::Regex;

impl Relator {
    /// The investment an amount matched in sentence `si` states, if any: a
    /// company's investment is that of its project named in the sentence (X研发中心项目
    /// … X计划投资8亿元). An amount per unit (每公里投资2亿元) is no project's, and a
    /// project that has an investment is not given another.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn investment(
        &self,
        subjects: &[usize],
        amount: regex::Match,
        before: &str,
        si: usize,
        rule: &str,
        known: &[Investment],
        res: &Resolution,
    ) -> Option<Investment> {
        let &subject = subjects.first()?;
        let project = if res.entities[subject].class == Class::Company {
            self.project_of_company(subject, si, res)?
        } else {
            subject
        };
        let lead_in: String = before.chars().rev().take(6).collect();
        if self.per_unit.iter().any(|w| lead_in.contains(w.as_str())) {
            return None;
        }
        let text = amount.as_str();
        if known.iter().any(|i| i.project == project) {
            return None;
        }
        let (value, currency) = parse_amount(text)?;
        Some(Investment {
            project,
            text: text.to_string(),
            amount: value,
            currency,
            sentence: si,
            rule: rule.to_string(),
        })
    }
}

/// Currency words after an amount, with their ISO 4217 codes (元 last: it ends the others).
const CURRENCIES: [(&str, &str); 7] = [
    ("美元", "USD"),
    ("欧元", "EUR"),
    ("日元", "JPY"),
    ("港元", "HKD"),
    ("港币", "HKD"),
    ("英镑", "GBP"),
    ("元", "CNY"),
];

/// Number words between an amount's digits and its currency, with their powers of ten.
const MAGNITUDES: [(&str, usize); 5] =
    [("万亿", 12), ("千万", 7), ("百万", 6), ("亿", 8), ("万", 4)];

/// The regular expression of an amount: digits, an optional 多 / 余, a number word, a currency.
pub(super) fn amount_regex() -> String {
    let alternatives = |words: &mut dyn Iterator<Item = &str>| {
        words.map(regex::escape).collect::<Vec<_>>().join("|")
    };
    format!(
        r"\d+(?:\.\d+)?(?:多|余)?(?:{})?(?:{})",
        alternatives(&mut MAGNITUDES.iter().map(|m| m.0)),
        alternatives(&mut CURRENCIES.iter().map(|c| c.0))
    )
}

/// Converts an amount to its currency's base unit: `12.5亿元` → (`1250000000`, `CNY`),
/// `1000万美元` → (`10000000`, `USD`). Other currencies are not converted to yuan.
pub fn parse_amount(text: &str) -> Option<(String, &'static str)> {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let re =
        RE.get_or_init(|| Regex::new(&format!("^(?:{})$", amount_regex())).expect("amount regex"));
    if !re.is_match(text) {
        return None;
    }
    let (number, currency) = CURRENCIES
        .iter()
        .find_map(|(word, code)| text.strip_suffix(word).map(|n| (n, *code)))?;
    let (number, zeros) = MAGNITUDES
        .iter()
        .find_map(|(word, z)| number.strip_suffix(word).map(|n| (n, *z)))
        .unwrap_or((number, 0));
    let number = number.trim_end_matches(['多', '余']);
    let (int, frac) = number.split_once('.').unwrap_or((number, ""));
    if frac.len() > zeros {
        return None;
    }
    let digits = format!("{int}{frac}{}", "0".repeat(zeros - frac.len()));
    let trimmed = digits.trim_start_matches('0');
    let value = if trimmed.is_empty() { "0" } else { trimmed };
    Some((value.to_string(), currency))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts() {
        assert_eq!(parse_amount("100亿元"), Some(("10000000000".into(), "CNY")));
        assert_eq!(parse_amount("49.9亿元"), Some(("4990000000".into(), "CNY")));
        assert_eq!(parse_amount("8000万元"), Some(("80000000".into(), "CNY")));
        assert_eq!(parse_amount("1.5亿美元"), Some(("150000000".into(), "USD")));
        assert_eq!(parse_amount("90多亿元"), Some(("9000000000".into(), "CNY")));
        assert_eq!(parse_amount("1000万美元"), Some(("10000000".into(), "USD")));
        assert_eq!(parse_amount("3.3亿美元"), Some(("330000000".into(), "USD")));
        assert_eq!(parse_amount("2千万欧元"), Some(("20000000".into(), "EUR")));
        assert_eq!(parse_amount("500元"), Some(("500".into(), "CNY")));
        assert_eq!(parse_amount("1.25万元"), Some(("12500".into(), "CNY")));
        assert_eq!(parse_amount("1.234元"), None);
    }
}
