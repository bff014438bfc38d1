package render

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
	"github.com/zmq-workshop/workshop/chapters"
)

// markdown renders chapter trees to HTML, with goldmark's default HTML
// renderer (no options, so raw HTML is omitted), the renderers of the
// chapters' extensions (chapters.Extensions), and the workshop's node
// renderers in front of them. It is the site's own goldmark instance:
// goldmark fixes a renderer's node renderers on its first use.
type markdown struct {
	s      *site
	r      renderer.Renderer
	blocks map[*ast.FencedCodeBlock]*chapters.Block
	paths  map[*chapters.Block]string // the chapter file of each block
	titles map[ast.Node]bool          // the level-one headings the page header replaces
}

func newMarkdown(s *site) *markdown {
	m := &markdown{s: s, blocks: map[*ast.FencedCodeBlock]*chapters.Block{}, paths: map[*chapters.Block]string{}, titles: map[ast.Node]bool{}}
	for _, c := range s.book.Chapters {
		for _, b := range c.Blocks {
			m.blocks[b.Node] = b
			m.paths[b] = c.Path
		}
		for n := c.Doc.FirstChild(); n != nil; n = n.NextSibling() {
			if h, ok := n.(*ast.Heading); ok && h.Level == 1 {
				m.titles[h] = true
				break
			}
		}
	}
	m.r = goldmark.New(
		goldmark.WithExtensions(chapters.Extensions()...),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(m, 100))),
	).Renderer()
	return m
}

// RegisterFuncs implements renderer.NodeRenderer.
func (m *markdown) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, m.fence)
	reg.Register(ast.KindHeading, m.heading)
	reg.Register(ast.KindLink, m.link)
}

func (m *markdown) render(c *chapters.Chapter) ([]byte, error) {
	var buf bytes.Buffer
	if err := m.r.Render(&buf, c.Source, c.Doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// inline renders the inline content of a block node, such as a heading.
func (m *markdown) inline(n ast.Node, src []byte) ([]byte, error) {
	var buf bytes.Buffer
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if err := m.r.Render(&buf, src, c); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

// fence draws a block of the model through its template. Fences that are
// not part of the model (```text, ```sh) are shown as plain code.
func (m *markdown) fence(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.FencedCodeBlock)
	b := m.blocks[n]
	var err error
	if b == nil {
		err = m.s.tmpl.block(w, "plain", plainBlock{Lang: string(n.Language(src)), Code: string(n.Lines().Value(src))})
	} else if err = m.s.block(w, b); err != nil {
		err = fmt.Errorf("%s:%d: %w", m.paths[b], b.Line, err)
	}
	if err != nil {
		return ast.WalkStop, err
	}
	return ast.WalkSkipChildren, nil
}

// heading gives headings with an id a link to themselves, and leaves out
// the chapter's title, which the page header shows.
func (m *markdown) heading(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Heading)
	if m.titles[n] {
		return ast.WalkSkipChildren, nil
	}
	level := "0123456"[n.Level]
	if entering {
		w.WriteString("<h")
		w.WriteByte(level)
		if n.Attributes() != nil {
			html.RenderAttributes(w, node, html.HeadingAttributeFilter)
		}
		w.WriteByte('>')
		return ast.WalkContinue, nil
	}
	if id, ok := n.AttributeString("id"); ok && n.Level > 1 {
		if idb, ok := id.([]byte); ok {
			w.WriteString(`<a class="anchor" href="#`)
			w.Write(util.EscapeHTML(idb))
			w.WriteString(`" aria-label="Link to this section">#</a>`)
		}
	}
	fmt.Fprintf(w, "</h%c>\n", level)
	return ast.WalkContinue, nil
}

// chapterLink matches a link to another chapter's Markdown file, as written
// so that it also works on a Markdown viewer: 03-lifetimes.md#linger.
var chapterLink = regexp.MustCompile(`^(?:\./)?(\d\d-[a-z0-9-]+)\.md(#.*)?$`)

// link is goldmark's link rendering with links between chapter files
// pointed at their pages.
func (m *markdown) link(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	if !entering {
		w.WriteString("</a>")
		return ast.WalkContinue, nil
	}
	dest := n.Destination
	if sub := chapterLink.FindSubmatch(dest); sub != nil {
		dest = append(append([]byte{}, sub[1]...), ".html"...)
		dest = append(dest, sub[2]...)
	}
	w.WriteString(`<a href="`)
	dest = util.URLEscape(dest, true)
	if !html.IsDangerousURL(dest) {
		w.Write(util.EscapeHTML(dest))
	}
	w.WriteByte('"')
	if n.Title != nil {
		w.WriteString(` title="`)
		html.DefaultWriter.Write(w, n.Title)
		w.WriteByte('"')
	}
	if isExternal(string(dest)) {
		w.WriteString(` class="external"`)
	}
	if n.Attributes() != nil {
		html.RenderAttributes(w, n, html.LinkAttributeFilter)
	}
	w.WriteByte('>')
	return ast.WalkContinue, nil
}

func isExternal(url string) bool {
	return strings.HasPrefix(url, "http://") || strings.HasPrefix(url, "https://")
}

// plainText is the text of a subtree, for summaries and the search index.
// Code blocks are left out.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	ast.Walk(n, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if n.Type() == ast.TypeBlock && b.Len() > 0 {
				b.WriteByte(' ')
			}
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			b.Write(n.Segment.Value(src))
			if n.SoftLineBreak() || n.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(n.Value)
		case *ast.AutoLink:
			b.Write(n.Label(src))
		}
		return ast.WalkContinue, nil
	})
	return strings.Join(strings.Fields(b.String()), " ")
}
