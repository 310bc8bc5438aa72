//! LanguageTool's `data` parameter: a document as text and markup
//! (`{"annotation": [{"text": "…"}, {"markup": "<b>", "interpretAs": ""}]}`).
//! The text checked is the text parts with each markup read as its
//! `interpretAs` (nothing when absent); offsets found in it are turned back
//! into offsets of the whole document, markup included, as LanguageTool does.

use serde::Deserialize;

use crate::error::ApiError;
use kefu_lint::offsets::utf16_len;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Data {
    annotation: Vec<Part>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Part {
    text: Option<String>,
    markup: Option<String>,
    #[serde(rename = "interpretAs")]
    interpret_as: Option<String>,
}

/// One part of the document: where it lies in the text checked and in the
/// document (UTF-16 code units), and whether it is text (else markup).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Piece {
    plain: usize,
    plain_len: usize,
    original: usize,
    original_len: usize,
    text: bool,
}

impl Piece {
    fn plain_end(&self) -> usize {
        self.plain + self.plain_len
    }
}

/// The text to check, and how its offsets map back to the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// The text checked.
    pub text: String,
    pieces: Vec<Piece>,
}

impl Document {
    /// A plain `text` parameter: offsets map to themselves.
    pub fn plain(text: String) -> Document {
        let len = utf16_len(&text);
        Document {
            text,
            pieces: vec![Piece {
                plain: 0,
                plain_len: len,
                original: 0,
                original_len: len,
                text: true,
            }],
        }
    }

    /// A `data` parameter.
    ///
    /// # Errors
    /// 400 naming `data` (or the part at fault, as `data.annotation[2]`)
    /// for JSON that is not an annotation, or a part with both or neither
    /// of `text` and `markup`.
    pub fn annotated(data: &str) -> Result<Document, ApiError> {
        let deserializer = &mut serde_json::Deserializer::from_str(data);
        let parsed: Data = serde_path_to_error::deserialize(deserializer).map_err(|e| {
            let path = e.path().to_string();
            let field = if path == "." {
                "data".to_owned()
            } else {
                format!("data.{path}")
            };
            ApiError::field(field, e.inner().to_string())
        })?;
        let mut document = Document {
            text: String::new(),
            pieces: Vec::with_capacity(parsed.annotation.len()),
        };
        let (mut plain, mut original) = (0, 0);
        for (i, part) in parsed.annotation.into_iter().enumerate() {
            let (shown, original_len, text) = match (part.text, part.markup) {
                (Some(text), None) if part.interpret_as.is_none() => {
                    let len = utf16_len(&text);
                    (text, len, true)
                }
                (None, Some(markup)) => (part.interpret_as.unwrap_or_default(), utf16_len(&markup), false),
                _ => {
                    return Err(ApiError::field(
                        format!("data.annotation[{i}]"),
                        "each part is {\"text\": …} or {\"markup\": …, \"interpretAs\": …}",
                    ));
                }
            };
            let plain_len = utf16_len(&shown);
            document.text.push_str(&shown);
            document.pieces.push(Piece {
                plain,
                plain_len,
                original,
                original_len,
                text,
            });
            plain += plain_len;
            original += original_len;
        }
        Ok(document)
    }

    /// The document offset of UTF-16 offset `at` of the text checked: a
    /// start (`end` false) or an end. A place inside what a markup was read
    /// as is the markup's start, or its end for an end.
    pub fn original(&self, at: usize, end: bool) -> usize {
        let index = if end {
            self.pieces.partition_point(|p| p.plain_end() < at)
        } else {
            self.pieces.partition_point(|p| p.plain_end() <= at)
        };
        match self.pieces.get(index) {
            Some(piece) if piece.text => piece.original + (at - piece.plain.min(at)),
            Some(piece) if end => piece.original + piece.original_len,
            Some(piece) => piece.original,
            None => self.pieces.last().map_or(0, |p| p.original + p.original_len),
        }
    }

    /// Whether markup lies inside UTF-16 offsets `start..end` of the text
    /// checked: then the same stretch of the document is not that text.
    pub fn holds_markup(&self, start: usize, end: usize) -> bool {
        self.original(end, true) - self.original(start, false) != end - start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_skip_markup_and_read_it_as_it_is_interpreted() {
        let document = Document::annotated(
            r#"{"annotation": [{"text": "亲,"}, {"markup": "<b>"}, {"text": "你好"},
                {"markup": "<br/>", "interpretAs": "\n"}, {"text": "😊但是"}]}"#,
        )
        .expect("valid");
        assert_eq!(document.text, "亲,你好\n😊但是");
        // 你 at 2 in the text is at 5 in the document, after "<b>".
        assert_eq!(document.original(2, false), 5);
        assert_eq!(document.original(3, true), 6);
        // 但是 after the line break read from <br/> and a two-unit emoji.
        assert_eq!(document.original(7, false), 14);
        assert_eq!(document.original(9, true), 16);
        // The line break itself maps to the whole <br/>.
        assert_eq!((document.original(4, false), document.original(5, true)), (7, 12));
    }

    #[test]
    fn markup_inside_a_stretch_is_told() {
        let document = Document::annotated(r#"{"annotation": [{"text": "但"}, {"markup": "</b>"}, {"text": "是你"}]}"#)
            .expect("valid");
        assert!(document.holds_markup(0, 2), "但</b>是");
        assert!(!document.holds_markup(0, 1), "但, before the markup");
        assert!(!document.holds_markup(1, 3), "是你, after it");
    }

    #[test]
    fn malformed_data_names_the_part() {
        let error = Document::annotated(r#"{"annotation": [{"text": "a", "markup": "b"}]}"#).expect_err("both");
        assert_eq!(error.field.as_deref(), Some("data.annotation[0]"));
        let error = Document::annotated(r#"{"annotation": [{"text": 3}]}"#).expect_err("a number");
        assert_eq!(error.field.as_deref(), Some("data.annotation[0].text"));
        let error = Document::annotated("nope").expect_err("not JSON");
        assert_eq!(error.field.as_deref(), Some("data"));
    }
}
