using System.Net;
using System.Text;

namespace OpenClaw.Grains.Agent.Web;

/// <summary>
/// Turns an HTML page into readable text: drops what is not content (scripts, styles, navigation,
/// embedded documents, the head except its title), keeps headings, list items, paragraphs and
/// code blocks, renders links as their text (with the target in markdown), decodes entities and
/// collapses whitespace. One pass over the input, no DOM: hostile markup (unclosed tags, deep
/// nesting, huge attributes) costs linear time and no more memory than the text itself.
/// </summary>
internal static class HtmlTextExtractor
{
    private static readonly HashSet<string> RawTextElements = new(StringComparer.OrdinalIgnoreCase) { "script", "style", "textarea", "title", "xmp", "noscript" };

    private static readonly HashSet<string> DroppedElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "noscript", "template", "svg", "math", "nav", "iframe", "object", "embed", "canvas", "head", "select", "button", "dialog",
    };

    private static readonly HashSet<string> BlockElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "section", "article", "main", "header", "footer", "aside", "blockquote", "ul", "ol", "dl", "dd", "dt", "table", "tr",
        "form", "fieldset", "figure", "figcaption", "address", "details", "summary", "hr", "body", "html",
    };

    private static readonly HashSet<string> VoidElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    };

    public sealed record Extracted(string? Title, string Text);

    public static Extracted Extract(string html, bool markdown, Uri? baseUri)
    {
        ArgumentNullException.ThrowIfNull(html);
        var output = new Output(markdown);
        string? title = null;
        string? linkHref = null;
        var preDepth = 0;
        var position = 0;
        while (position < html.Length)
        {
            var lt = html.IndexOf('<', position);
            if (lt < 0)
            {
                output.Text(html.AsSpan(position), preDepth > 0);
                break;
            }

            if (lt > position)
            {
                output.Text(html.AsSpan(position, lt - position), preDepth > 0);
            }

            if (html.AsSpan(lt).StartsWith("<!--", StringComparison.Ordinal))
            {
                var end = html.IndexOf("-->", lt + 4, StringComparison.Ordinal);
                position = end < 0 ? html.Length : end + 3;
                continue;
            }

            var next = lt + 1 < html.Length ? html[lt + 1] : '\0';
            if (next is '!' or '?')
            {
                var end = html.IndexOf('>', lt);
                position = end < 0 ? html.Length : end + 1;
                continue;
            }

            var closing = next == '/';
            var nameStart = closing ? lt + 2 : lt + 1;
            var nameEnd = nameStart;
            while (nameEnd < html.Length && (char.IsAsciiLetterOrDigit(html[nameEnd]) || html[nameEnd] == '-'))
            {
                nameEnd++;
            }

            if (nameEnd == nameStart || !char.IsAsciiLetter(html[nameStart]))
            {
                output.Text("<", preDepth > 0); // a lone '<' is text
                position = lt + 1;
                continue;
            }

            var tagEnd = FindTagEnd(html, nameEnd);
            var name = html[nameStart..nameEnd].ToLowerInvariant();
            var attributes = html.AsSpan(nameEnd, Math.Max(0, tagEnd - nameEnd));
            position = tagEnd < html.Length ? tagEnd + 1 : html.Length;
            var selfClosing = attributes.EndsWith("/");

            if (closing)
            {
                switch (name)
                {
                    case "a":
                        if (linkHref is not null)
                        {
                            output.CloseLink(linkHref);
                            linkHref = null;
                        }

                        break;
                    case "pre":
                        preDepth = Math.Max(0, preDepth - 1);
                        output.Fence();
                        break;
                    case "code" when preDepth == 0:
                        output.InlineCode();
                        break;
                    default:
                        if (IsHeading(name) || BlockElements.Contains(name) || name is "li" or "td" or "th")
                        {
                            output.Break(name is "td" or "th" ? 0 : IsHeading(name) || name == "p" ? 2 : 1);
                        }

                        break;
                }

                continue;
            }

            if (name == "title" && title is null)
            {
                var end = IndexOfClosingTag(html, position, "title");
                title = Collapse(WebUtility.HtmlDecode(html[position..(end < 0 ? html.Length : end)]));
                position = AfterClosingTag(html, end);
                continue;
            }

            if (DroppedElements.Contains(name))
            {
                if (selfClosing || VoidElements.Contains(name))
                {
                    continue;
                }

                if (RawTextElements.Contains(name))
                {
                    position = AfterClosingTag(html, IndexOfClosingTag(html, position, name));
                }
                else
                {
                    var (inner, after) = SkipElement(html, position, name);
                    if (name == "head" && title is null)
                    {
                        title = Extract(inner, markdown, baseUri).Title;
                    }

                    position = after;
                }

                continue;
            }

            if (RawTextElements.Contains(name))
            {
                var end = IndexOfClosingTag(html, position, name);
                output.Decoded(WebUtility.HtmlDecode(html[position..(end < 0 ? html.Length : end)]), preserve: name != "noscript");
                position = AfterClosingTag(html, end);
                continue;
            }

            if (IsHeading(name))
            {
                output.Heading(name[1] - '0');
            }
            else if (name == "li")
            {
                output.ListItem();
            }
            else if (name == "br")
            {
                output.Break(1);
            }
            else if (name is "td" or "th")
            {
                output.Cell();
            }
            else if (name == "pre")
            {
                preDepth++;
                output.Fence();
            }
            else if (name == "code" && preDepth == 0)
            {
                output.InlineCode();
            }
            else if (name == "a")
            {
                var href = Attribute(attributes, "href");
                if (linkHref is null && Absolute(href, baseUri) is { } target)
                {
                    linkHref = target;
                    output.OpenLink();
                }
            }
            else if (name == "img")
            {
                if (Attribute(attributes, "alt") is { Length: > 0 } alt)
                {
                    output.Decoded(alt, preserve: false);
                }
            }
            else if (BlockElements.Contains(name))
            {
                output.Break(name == "p" ? 2 : 1);
            }
        }

        if (linkHref is not null)
        {
            output.CloseLink(linkHref);
        }

        return new Extracted(string.IsNullOrEmpty(title) ? null : title, output.Finish());
    }

    private static bool IsHeading(string name) => name.Length == 2 && name[0] == 'h' && name[1] is >= '1' and <= '6';

    /// <summary>The index of the tag's closing <c>&gt;</c>, skipping quoted attribute values.</summary>
    private static int FindTagEnd(string html, int from)
    {
        var quote = '\0';
        for (var i = from; i < html.Length; i++)
        {
            var c = html[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '>')
            {
                return i;
            }
        }

        return html.Length;
    }

    private static int IndexOfClosingTag(string html, int from, string name)
    {
        var search = "</" + name;
        var index = from;
        while (true)
        {
            index = html.IndexOf(search, index, StringComparison.OrdinalIgnoreCase);
            if (index < 0)
            {
                return -1;
            }

            var after = index + search.Length;
            if (after >= html.Length || !char.IsAsciiLetterOrDigit(html[after]))
            {
                return index;
            }

            index = after;
        }
    }

    private static int AfterClosingTag(string html, int closingIndex)
    {
        if (closingIndex < 0)
        {
            return html.Length;
        }

        var end = html.IndexOf('>', closingIndex);
        return end < 0 ? html.Length : end + 1;
    }

    /// <summary>Skips an element with markup inside, counting nested elements of the same name; returns its inner HTML and the position after it.</summary>
    private static (string Inner, int After) SkipElement(string html, int from, string name)
    {
        var depth = 1;
        var index = from;
        while (depth > 0)
        {
            var lt = html.IndexOf('<', index);
            if (lt < 0)
            {
                return (html[from..], html.Length);
            }

            var closing = lt + 1 < html.Length && html[lt + 1] == '/';
            var start = closing ? lt + 2 : lt + 1;
            if (string.Compare(html, start, name, 0, name.Length, StringComparison.OrdinalIgnoreCase) == 0
                && (start + name.Length >= html.Length || !char.IsAsciiLetterOrDigit(html[start + name.Length])))
            {
                var end = FindTagEnd(html, start + name.Length);
                if (closing)
                {
                    depth--;
                    if (depth == 0)
                    {
                        return (html[from..lt], end < html.Length ? end + 1 : html.Length);
                    }
                }
                else if (end <= 0 || html[end - 1] != '/')
                {
                    depth++;
                }

                index = Math.Min(html.Length, end + 1);
            }
            else
            {
                index = lt + 1;
            }
        }

        return (html[from..], html.Length);
    }

    private static string? Attribute(ReadOnlySpan<char> attributes, string name)
    {
        var i = 0;
        while (i < attributes.Length)
        {
            while (i < attributes.Length && (char.IsWhiteSpace(attributes[i]) || attributes[i] == '/'))
            {
                i++;
            }

            var nameStart = i;
            while (i < attributes.Length && attributes[i] != '=' && !char.IsWhiteSpace(attributes[i]) && attributes[i] != '/')
            {
                i++;
            }

            var attributeName = attributes[nameStart..i];
            while (i < attributes.Length && char.IsWhiteSpace(attributes[i]))
            {
                i++;
            }

            string? value = null;
            if (i < attributes.Length && attributes[i] == '=')
            {
                i++;
                while (i < attributes.Length && char.IsWhiteSpace(attributes[i]))
                {
                    i++;
                }

                if (i < attributes.Length && attributes[i] is '"' or '\'')
                {
                    var quote = attributes[i++];
                    var valueStart = i;
                    while (i < attributes.Length && attributes[i] != quote)
                    {
                        i++;
                    }

                    value = attributes[valueStart..i].ToString();
                    i++;
                }
                else
                {
                    var valueStart = i;
                    while (i < attributes.Length && !char.IsWhiteSpace(attributes[i]))
                    {
                        i++;
                    }

                    value = attributes[valueStart..i].ToString();
                }
            }

            if (attributeName.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return value is null ? "" : WebUtility.HtmlDecode(value);
            }

            if (nameStart == i)
            {
                i++;
            }
        }

        return null;
    }

    /// <summary>An http(s) link target resolved against the page, or null (fragments, <c>javascript:</c>, <c>mailto:</c> …).</summary>
    private static string? Absolute(string? href, Uri? baseUri)
    {
        if (string.IsNullOrWhiteSpace(href) || href.StartsWith('#') || href.Length > 2048)
        {
            return null;
        }

        Uri? target;
        if (baseUri is not null ? !Uri.TryCreate(baseUri, href.Trim(), out target) : !Uri.TryCreate(href.Trim(), UriKind.Absolute, out target))
        {
            return null;
        }

        return target.Scheme is "http" or "https" ? target.AbsoluteUri : null;
    }

    private static string Collapse(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>The text being built: whitespace collapsed, blank lines limited to one, markdown marks when asked.</summary>
    private sealed class Output(bool markdown)
    {
        private readonly StringBuilder _text = new();
        private bool _pendingSpace;
        private int _pendingBreaks;
        private int _linkStart = -1;

        public void Text(ReadOnlySpan<char> raw, bool preserve) =>
            Decoded(raw.Contains('&') ? WebUtility.HtmlDecode(raw.ToString()) : raw.ToString(), preserve);

        public void Decoded(string text, bool preserve)
        {
            if (preserve)
            {
                FlushBreaks();
                _text.Append(text.Replace("\r\n", "\n", StringComparison.Ordinal));
                return;
            }

            foreach (var c in text)
            {
                if (char.IsWhiteSpace(c) || c == '\u00a0')
                {
                    _pendingSpace = true;
                    continue;
                }

                if (_pendingBreaks > 0)
                {
                    FlushBreaks();
                }
                else if (_pendingSpace && _text.Length > 0 && !EndsWithWhitespace())
                {
                    _text.Append(' ');
                }

                _pendingSpace = false;
                _text.Append(c);
            }
        }

        public void Break(int lines) => _pendingBreaks = Math.Max(_pendingBreaks, lines);

        public void Heading(int level)
        {
            Break(2);
            if (markdown)
            {
                FlushBreaks();
                _text.Append('#', level).Append(' ');
            }
        }

        public void ListItem()
        {
            Break(1);
            FlushBreaks();
            _text.Append("- ");
        }

        public void Cell()
        {
            if (_text.Length > 0 && _pendingBreaks == 0 && !EndsWithWhitespace())
            {
                _text.Append(markdown ? " | " : "\t");
            }

            _pendingSpace = false;
        }

        public void Fence()
        {
            Break(1);
            if (markdown)
            {
                FlushBreaks();
                _text.Append("```");
                Break(1);
            }
        }

        public void InlineCode()
        {
            if (markdown)
            {
                FlushPendingSpace();
                _text.Append('`');
            }
        }

        public void OpenLink()
        {
            if (markdown)
            {
                FlushPendingSpace();
                _text.Append('[');
                _linkStart = _text.Length;
            }
        }

        public void CloseLink(string href)
        {
            if (!markdown || _linkStart < 0)
            {
                return;
            }

            if (_text.Length == _linkStart)
            {
                _text.Length--; // an empty link (an icon): nothing to show
            }
            else
            {
                _text.Append("](").Append(href).Append(')');
            }

            _linkStart = -1;
        }

        public string Finish()
        {
            var lines = _text.ToString().Split('\n');
            var result = new StringBuilder(_text.Length);
            var blank = 0;
            foreach (var line in lines)
            {
                var trimmed = line.TrimEnd();
                if (trimmed.Length == 0)
                {
                    blank++;
                    continue;
                }

                if (result.Length > 0)
                {
                    result.Append(blank > 0 ? "\n\n" : "\n");
                }

                blank = 0;
                result.Append(trimmed);
            }

            return result.ToString();
        }

        private void FlushPendingSpace()
        {
            if (_pendingBreaks > 0)
            {
                FlushBreaks();
            }
            else if (_pendingSpace && _text.Length > 0 && !EndsWithWhitespace())
            {
                _text.Append(' ');
            }

            _pendingSpace = false;
        }

        private void FlushBreaks()
        {
            if (_text.Length > 0)
            {
                _text.Append('\n', _pendingBreaks);
            }

            _pendingBreaks = 0;
            _pendingSpace = false;
        }

        private bool EndsWithWhitespace() => _text.Length > 0 && char.IsWhiteSpace(_text[^1]);
    }
}
