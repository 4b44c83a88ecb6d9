"""Tests for the RSS/Atom reader."""

from __future__ import annotations

from pathlib import Path

from storyline.ingest import iter_feed, iter_inputs
from storyline.model import RawDoc, Rejection
from storyline.settings import Settings

SETTINGS = Settings()

RSS2 = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Example World News</title>
  <link>https://news.example.com/</link>
  <description>World news</description>
  <item>
    <title>NATO ministers meet on Afghanistan</title>
    <link>https://news.example.com/2021/02/17/nato</link>
    <guid isPermaLink="false">nato-2021-02-17</guid>
    <pubDate>Wed, 17 Feb 2021 10:30:00 +0100</pubDate>
    <description>Short teaser.</description>
    <content:encoded><![CDATA[<p>BRUSSELS (AFP) - NATO defence ministers met on Wednesday.</p>
<p>"We face a dilemma," Jens Stoltenberg said.</p>]]></content:encoded>
  </item>
  <item>
    <title>Summit planned for February</title>
    <link>https://news.example.com/2020/11/20/summit</link>
    <guid>https://news.example.com/2020/11/20/summit</guid>
    <pubDate>Fri, 20 Nov 2020 08:00:00 GMT</pubDate>
    <description>&lt;p&gt;BRUSSELS (dpa) - Defence ministers will meet in February.&lt;/p&gt;</description>
  </item>
  <item>
    <title>Headline only</title>
  </item>
  <item>
    <title>Link only</title>
    <link>https://news.example.com/link-only</link>
  </item>
</channel>
</rss>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Agency Wire</title>
  <id>urn:uuid:60a76c80-d399-11d9-b91C-0003939e0af6</id>
  <updated>2021-02-17T12:00:00Z</updated>
  <entry>
    <title>Ministers agree on training mission</title>
    <link href="https://wire.example.org/a/1"/>
    <id>urn:wire:1</id>
    <published>2021-02-17T11:00:00+02:00</published>
    <updated>2021-02-17T12:00:00Z</updated>
    <content type="html">&lt;p&gt;Ministers agreed on a training mission, officials said.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Talks to continue</title>
    <link href="https://wire.example.org/a/2"/>
    <id>urn:wire:2</id>
    <updated>2021-02-18T09:15:00Z</updated>
    <summary>Talks will continue next week.</summary>
  </entry>
</feed>
"""

RSS1 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
  xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://rdf.example.net/">
    <title>RDF Site</title><link>https://rdf.example.net/</link><description>d</description>
  </channel>
  <item rdf:about="https://rdf.example.net/x">
    <title>An RSS 1.0 item</title>
    <link>https://rdf.example.net/x</link>
    <description>Body of the RSS 1.0 item.</description>
    <dc:date>2021-02-17T10:00:00Z</dc:date>
  </item>
</rdf:RDF>
"""


def test_rss2_entries_use_content_then_summary_with_hints() -> None:
    found = list(iter_feed(RSS2, "feed.xml", SETTINGS))
    assert len(found) == 4
    first, second, headline_only, link_only = found
    assert isinstance(first, RawDoc)
    assert (first.origin, first.kind, first.url) == (
        "feed.xml#nato-2021-02-17",
        "html",
        "https://news.example.com/2021/02/17/nato",
    )
    assert first.body.startswith(b"<p>BRUSSELS (AFP) - NATO defence ministers")
    assert b"Short teaser" not in first.body
    assert dict(first.hints) == {
        "title": "NATO ministers meet on Afghanistan",
        "published": "2021-02-17T09:30:00+00:00",
        "source": "Example World News",
        "id": "nato-2021-02-17",
    }
    assert isinstance(second, RawDoc)
    assert second.origin == "feed.xml#https://news.example.com/2020/11/20/summit"
    assert second.body == b"<p>BRUSSELS (dpa) - Defence ministers will meet in February.</p>"
    assert second.hints["published"] == "2020-11-20T08:00:00+00:00"
    assert isinstance(headline_only, Rejection)
    assert (headline_only.origin, headline_only.reason) == ("feed.xml#3", "empty_entry")
    assert "no content and no link" in headline_only.detail
    assert isinstance(link_only, Rejection) and link_only.reason == "empty_entry"
    assert "fetch_feed_links" in link_only.detail


def test_atom_content_and_summary_entries() -> None:
    found = list(iter_feed(ATOM, "https://wire.example.org/feed.atom", SETTINGS))
    assert [type(i).__name__ for i in found] == ["RawDoc", "RawDoc"]
    one, two = found
    assert isinstance(one, RawDoc) and isinstance(two, RawDoc)
    assert one.origin == "https://wire.example.org/feed.atom#urn:wire:1"
    assert one.url == "https://wire.example.org/a/1"
    assert one.body == b"<p>Ministers agreed on a training mission, officials said.</p>"
    assert dict(one.hints) == {
        "title": "Ministers agree on training mission",
        "published": "2021-02-17T09:00:00+00:00",
        "source": "Agency Wire",
        "id": "urn:wire:1",
    }
    assert two.body == b"Talks will continue next week."
    assert two.hints["published"] == "2021-02-18T09:15:00+00:00"  # from <updated>, no <published>
    assert two.hints["id"] == "urn:wire:2"


def test_rss1_rdf_feed() -> None:
    [doc] = iter_feed(RSS1, "rdf", SETTINGS)
    assert isinstance(doc, RawDoc)
    assert (doc.origin, doc.url, doc.body) == (
        "rdf#https://rdf.example.net/x",
        "https://rdf.example.net/x",
        b"Body of the RSS 1.0 item.",
    )
    assert doc.hints["source"] == "RDF Site" and doc.hints["published"] == "2021-02-17T10:00:00+00:00"


def test_unparsable_feed_is_bad_feed() -> None:
    broken = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Cut</title><ite'
    [rejection] = iter_feed(broken, "broken.rss", SETTINGS)
    assert isinstance(rejection, Rejection)
    assert (rejection.origin, rejection.stage, rejection.reason) == ("broken.rss", "read", "bad_feed")
    [plain] = iter_feed(b"just some words", "words", SETTINGS)
    assert isinstance(plain, Rejection) and plain.reason == "bad_feed"


def test_cut_off_feed_keeps_the_entries_it_has() -> None:
    cut = RSS2[: RSS2.index(b"<item>\n    <title>Headline only")]
    found = list(iter_feed(cut, "cut.rss", SETTINGS))
    assert [i.origin for i in found] == [
        "cut.rss#nato-2021-02-17",
        "cut.rss#https://news.example.com/2020/11/20/summit",
    ]
    assert all(isinstance(i, RawDoc) for i in found)


def test_oversized_entry_is_too_large() -> None:
    big = RSS2.replace(b"Short teaser.", b"").replace(b"We face a dilemma", b"dilemma " * 200)
    found = list(iter_feed(big, "f", Settings(max_item_bytes=1000)))
    assert isinstance(found[0], Rejection) and found[0].reason == "too_large"
    assert isinstance(found[1], RawDoc)


def test_feed_files_are_sniffed_in_a_directory(tmp_path: Path) -> None:
    (tmp_path / "news.rss").write_bytes(RSS2)
    (tmp_path / "wire.xml").write_bytes(ATOM)
    found = list(iter_inputs([str(tmp_path)], SETTINGS))
    origins = [i.origin for i in found]
    assert origins == [
        f"{tmp_path}/news.rss#nato-2021-02-17",
        f"{tmp_path}/news.rss#https://news.example.com/2020/11/20/summit",
        f"{tmp_path}/news.rss#3",
        f"{tmp_path}/news.rss#4",
        f"{tmp_path}/wire.xml#urn:wire:1",
        f"{tmp_path}/wire.xml#urn:wire:2",
    ]


def test_plain_and_fragment_descriptions_become_articles() -> None:
    """Feeds whose entries carry plain text, or an HTML fragment, in the description: both are
    articles (trafilatura refused a bare fragment as an empty page, so such feeds stored nothing)."""
    from storyline.extract import extract_article

    body = "BRUSSELS (AFP) - NATO defence ministers met on Wednesday to discuss the Afghan mission. " * 4
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        f"<item><title>Plain</title><link>https://w.example/1</link><description>{body}</description></item>"
        "<item><title>Fragment</title><link>https://w.example/2</link>"
        f"<description>&lt;p&gt;{body}&lt;/p&gt;&lt;p&gt;{body}&lt;/p&gt;</description></item>"
        "</channel></rss>"
    ).encode()
    items = list(iter_feed(feed, "wire.xml", Settings()))
    assert [i.url for i in items if isinstance(i, RawDoc)] == ["https://w.example/1", "https://w.example/2"]
    for item in items:
        assert isinstance(item, RawDoc)
        article = extract_article(item, Settings())
        assert "defence ministers" in article.text
