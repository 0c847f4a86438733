//! Sentences filled in with names: an organization named "Bakkerij B.V." at the end of a
//! sentence must not read "B.V.." (the same rule for e-mails and the page).

/// `text` with every run of exactly two periods made one ("B.V.." becomes "B.V."); an ellipsis
/// of three stays.
pub fn tidy(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..].iter().take_while(|c| **c == '.').count();
        if run == 2 {
            out.push('.');
            i += 2;
        } else if run > 0 {
            out.extend(&chars[i..i + run]);
            i += run;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_organization_ending_in_a_period_ends_the_sentence_once() {
        assert_eq!(
            tidy("U bent nu gekoppeld aan Berg Advies V.O.F.."),
            "U bent nu gekoppeld aan Berg Advies V.O.F."
        );
        assert_eq!(
            tidy("namens Bakkerij B.V.. U kunt"),
            "namens Bakkerij B.V. U kunt"
        );
        assert_eq!(tidy("Bezig..."), "Bezig...");
        assert_eq!(tidy("Gewoon een zin."), "Gewoon een zin.");
        assert_eq!(tidy(""), "");
    }
}
