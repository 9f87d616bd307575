//! The HTML pages (`report.html`, `compare.html`): one skeleton, HTML escaping and the
//! inlining of SVG charts that were already rendered for the chart files (a page never
//! renders a chart itself).

pub mod compare;
pub mod report;

/// The frame of a self-contained page: no script, no network references.
pub struct Skeleton<'a> {
    /// The page title, already escaped.
    pub title: &'a str,
    /// The stylesheet, inlined in `<style>`.
    pub style: &'a str,
    /// Whether to add a responsive viewport meta tag.
    pub viewport: bool,
    /// Whether the body's content sits in a `<main>` element.
    pub main: bool,
}

impl Skeleton<'_> {
    /// The whole page around `body` (markup, already escaped).
    pub fn wrap(&self, body: &str) -> String {
        let mut h = String::with_capacity(body.len() + self.style.len() + 512);
        h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        if self.viewport {
            h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        }
        h.push_str(&format!("<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n", self.title, self.style));
        if self.main {
            h.push_str("<main>\n");
        }
        h.push_str(body);
        if self.main {
            h.push_str("</main>\n");
        }
        h.push_str("</body>\n</html>\n");
        h
    }
}

/// Escape text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Turn a standalone SVG document into an inline `<svg>` element for HTML: drop anything
/// before `<svg` (an XML declaration) and the XML namespace URLs (HTML parsers supply
/// them, also the xlink one for the glyphs' `xlink:href`), and add an accessible name.
pub fn inline_svg(svg: &str, title: &str) -> String {
    let svg = svg.find("<svg").map_or(svg, |i| &svg[i..]);
    let svg = svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1);
    let svg = svg.replacen(" xmlns:xlink=\"http://www.w3.org/1999/xlink\"", "", 1);
    let attrs =
        format!("<svg role=\"img\" aria-label=\"{}\" preserveAspectRatio=\"xMidYMid meet\" ", escape_html(title));
    svg.replacen("<svg ", &attrs, 1)
}
