using System.Diagnostics;
using OpenClaw.Grains.Agent.Web;

namespace OpenClaw.Grains.Tests.Agent.Web;

/// <summary>The HTML extraction on its own: what is kept, what is dropped, and hostile markup.</summary>
public sealed class HtmlTextExtractorTests
{
    private static readonly Uri Base = new("https://example.com/dir/page.html");

    [Fact]
    public void Links_resolve_against_the_page_and_unsafe_or_empty_links_show_only_their_text()
    {
        var html = """<p><a href="../a">up</a> <a href="javascript:alert(1)">js</a> <a href="#top">top</a> <a href="https://x.test/"><img src="i.png"></a> <a href="mailto:a@b.c">mail</a></p>""";

        var markdown = HtmlTextExtractor.Extract(html, markdown: true, Base).Text;

        Assert.Equal("[up](https://example.com/a) js top mail", markdown);
    }

    [Fact]
    public void Preformatted_text_keeps_its_lines_and_becomes_a_code_block()
    {
        var text = HtmlTextExtractor.Extract("<p>Run:</p><pre><code>make   build\n  make test</code></pre><p>then <code>ls</code></p>", markdown: true, Base).Text;

        Assert.Equal("Run:\n\n```\nmake   build\n  make test\n```\n\nthen `ls`", text);
    }

    [Fact]
    public void Tables_become_rows_of_cells()
    {
        var text = HtmlTextExtractor.Extract("<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>", markdown: true, Base).Text;

        Assert.Equal("a | b\n1 | 2", text);
    }

    [Theory]
    [InlineData("<p>unclosed <b>bold <i>italic", "unclosed bold italic")]
    [InlineData("<script>never closed", "")]
    [InlineData("a < b and c > d", "a < b and c > d")]
    [InlineData("<div title='x>y'>quoted &gt; attribute</div>", "quoted > attribute")]
    [InlineData("<nav><nav>inner</nav>still nav</nav>after", "after")]
    [InlineData("<svg><text>drawn</text></svg>visible", "visible")]
    [InlineData("&#x3C;script&#x3E; &amp;amp; &nbsp;x", "<script> &amp; x")]
    public void Malformed_and_tricky_markup_gives_sensible_text(string html, string expected)
    {
        Assert.Equal(expected, HtmlTextExtractor.Extract(html, markdown: false, Base).Text);
    }

    [Fact]
    public void Deeply_nested_or_huge_markup_is_handled_in_linear_time()
    {
        var nested = string.Concat(Enumerable.Repeat("<div><span>", 100_000)) + "deep" + string.Concat(Enumerable.Repeat("</span></div>", 100_000));
        var navs = string.Concat(Enumerable.Repeat("<nav>", 50_000)) + "x";
        var stopwatch = Stopwatch.StartNew();

        var deep = HtmlTextExtractor.Extract(nested, markdown: true, Base).Text;
        var unclosedNavs = HtmlTextExtractor.Extract(navs, markdown: true, Base).Text;

        Assert.Equal("deep", deep);
        Assert.Equal("", unclosedNavs);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), stopwatch.Elapsed.ToString());
    }
}
