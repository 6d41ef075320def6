/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * What TopologyReader checks in the DOT text itself, beyond read_graphviz (see
 * topology-dot-source.h).
 */
// Checks of DOT source that read_graphviz does not make, for TopologyReader: a node declared by
// two node statements (a token scan of the source), and the natural order of node names.
#include "topology-dot-source.h"

#include "topology.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace ns3 {

namespace {

/** One token of DOT source, for CheckDeclaredOnce. */
struct DotToken
{
    bool id;          //!< an identifier, number or string (else punctuation)
    std::string text; //!< its text (strings without quotes); punctuation: "{", "--", ...
    int line;         //!< 1-based line
};

/**
 * Split DOT source into tokens: comments dropped, quoted and HTML strings as one identifier.
 * The source has parsed already, so this may be lenient.
 * \param text DOT source
 * \return the tokens
 */
std::vector<DotToken>
Tokenize(const std::string& text)
{
    std::vector<DotToken> out;
    int line = 1;
    bool lineStart = true;
    for (std::size_t i = 0; i < text.size();)
    {
        const char c = text[i];
        if (c == '\n')
        {
            ++line;
            lineStart = true;
            ++i;
            continue;
        }
        if (std::isspace(static_cast<unsigned char>(c)))
        {
            ++i;
            continue;
        }
        const bool atLineStart = lineStart;
        lineStart = false;
        if ((c == '#' && atLineStart) || text.compare(i, 2, "//") == 0)
        {
            i = text.find('\n', i);
            i = i == std::string::npos ? text.size() : i;
            continue;
        }
        if (text.compare(i, 2, "/*") == 0)
        {
            const std::size_t end = text.find("*/", i + 2);
            const std::size_t stop = end == std::string::npos ? text.size() : end + 2;
            line += std::count(text.begin() + i, text.begin() + stop, '\n');
            i = stop;
            continue;
        }
        const int at = line;
        if (c == '"')
        {
            std::string s;
            for (++i; i < text.size() && text[i] != '"'; ++i)
            {
                if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == '"')
                {
                    ++i;
                }
                line += text[i] == '\n';
                s += text[i];
            }
            ++i;
            out.push_back({true, s, at});
            continue;
        }
        if (c == '<')
        {
            int depth = 0;
            std::size_t j = i;
            for (; j < text.size(); ++j)
            {
                depth += text[j] == '<' ? 1 : text[j] == '>' ? -1 : 0;
                line += text[j] == '\n';
                if (depth == 0)
                {
                    break;
                }
            }
            out.push_back({true, text.substr(i, j + 1 - i), at});
            i = j + 1;
            continue;
        }
        if (text.compare(i, 2, "--") == 0 || text.compare(i, 2, "->") == 0)
        {
            out.push_back({false, "--", at});
            i += 2;
            continue;
        }
        if (std::strchr("{}[];,=:+", c) != nullptr)
        {
            out.push_back({false, std::string(1, c), at});
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < text.size()
               && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_'
                   || text[j] == '.' || (text[j] == '-' && j == i)
                   || static_cast<unsigned char>(text[j]) >= 0x80))
        {
            ++j;
        }
        j = std::max(j, i + 1);
        out.push_back({true, text.substr(i, j - i), at});
        i = j;
    }
    return out;
}

} // namespace

bool
TopologyDotSource::NaturalLess(const std::string& a, const std::string& b)
{
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < a.size() && j < b.size())
    {
        const bool da = std::isdigit(static_cast<unsigned char>(a[i]));
        const bool db = std::isdigit(static_cast<unsigned char>(b[j]));
        if (da && db)
        {
            std::size_t ie = i;
            std::size_t je = j;
            while (ie < a.size() && std::isdigit(static_cast<unsigned char>(a[ie])))
            {
                ++ie;
            }
            while (je < b.size() && std::isdigit(static_cast<unsigned char>(b[je])))
            {
                ++je;
            }
            // Compare without leading zeros: longer is larger, else lexicographic.
            std::size_t is = a.find_first_not_of('0', i);
            std::size_t js = b.find_first_not_of('0', j);
            is = std::min(is, ie);
            js = std::min(js, je);
            if (ie - is != je - js)
            {
                return ie - is < je - js;
            }
            const int c = a.compare(is, ie - is, b, js, je - js);
            if (c != 0)
            {
                return c < 0;
            }
            i = ie;
            j = je;
        }
        else
        {
            if (a[i] != b[j])
            {
                return a[i] < b[j];
            }
            ++i;
            ++j;
        }
    }
    if (a.size() - i != b.size() - j)
    {
        return a.size() - i < b.size() - j;
    }
    return a < b;
}

void
TopologyDotSource::CheckDeclaredOnce(const std::string& text, const std::string& source)
{
    const std::vector<DotToken> t = Tokenize(text);
    auto is = [&t](std::size_t i, const char* punct)
    {
        return i < t.size() && !t[i].id && t[i].text == punct;
    };
    auto skipAttrLists = [&](std::size_t i)
    {
        while (is(i, "["))
        {
            while (i < t.size() && !is(i, "]"))
            {
                ++i;
            }
            ++i;
        }
        return i;
    };
    auto skipNodeId = [&](std::size_t i)
    {
        ++i;
        while (is(i, ":"))
        {
            i += 2;
        }
        return i;
    };
    std::map<std::string, int> declared; // node -> line of its statement
    std::size_t i = 0;
    while (i < t.size() && !is(i, "{"))
    {
        ++i; // [strict] graph [name]
    }
    while (++i < t.size())
    {
        if (!t[i].id)
        {
            continue; // braces, separators
        }
        std::string lower = t[i].text;
        std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
        if (lower == "node" || lower == "edge" || lower == "graph")
        {
            i = skipAttrLists(i + 1) - 1;
            continue;
        }
        if (lower == "subgraph")
        {
            continue; // its name, if any, is skipped as an ID = ... or before "{"
        }
        if (is(i + 1, "="))
        {
            i += 2; // a graph attribute: name = value
            continue;
        }
        std::size_t j = skipNodeId(i);
        if (is(j, "--"))
        {
            // An edge statement: its operands are references, not declarations.
            while (is(j, "--"))
            {
                ++j;
                if (is(j, "{"))
                {
                    int depth = 0;
                    for (; j < t.size(); ++j)
                    {
                        depth += is(j, "{") ? 1 : is(j, "}") ? -1 : 0;
                        if (depth == 0)
                        {
                            break;
                        }
                    }
                    ++j;
                }
                else
                {
                    j = skipNodeId(j);
                }
            }
            i = skipAttrLists(j) - 1;
            continue;
        }
        // Not a statement of its own: an edge's operand after a subgraph ("{a b} -- c"), a
        // value, or the name of a subgraph.
        std::string prev = t[i - 1].text;
        std::transform(prev.begin(), prev.end(), prev.begin(), ::tolower);
        if (is(i - 1, "--") || is(i - 1, "=") || (t[i - 1].id && prev == "subgraph"))
        {
            i = skipAttrLists(j) - 1;
            continue;
        }
        auto [it, fresh] = declared.emplace(t[i].text, t[i].line);
        if (!fresh)
        {
            throw TopologyError(source, Topology::NodeElement(t[i].text),
                                "declared twice (lines " + std::to_string(it->second) + " and "
                                    + std::to_string(t[i].line)
                                    + "): give each node one statement with all its attributes");
        }
        i = skipAttrLists(j) - 1;
    }
}

} // namespace ns3
