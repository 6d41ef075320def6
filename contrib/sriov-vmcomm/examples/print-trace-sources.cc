/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Prints every trace source of the module with its Config path, from ns-3's TypeId registry
 * (experiment/trace-source-list.h): the page doc/traces.md, or checks that page is current.
 *
 *   build/bin/print-trace-sources > contrib/sriov-vmcomm/doc/traces.md
 *   build/bin/print-trace-sources --check=contrib/sriov-vmcomm/doc/traces.md
 */
#include "ns3/command-line.h"
#include "ns3/trace-source-list.h"

#include <fstream>
#include <iostream>
#include <sstream>

using namespace ns3;

int
main(int argc, char* argv[])
{
    std::string check;
    CommandLine cmd(__FILE__);
    cmd.Usage("Prints the module's trace sources and their Config paths (doc/traces.md).");
    cmd.AddValue("check", "compare with this file instead of printing; exit 1 if it differs",
                 check);
    cmd.Parse(argc, argv);
    const std::string page = FormatTraceSourcesMarkdown(ListTraceSources());
    if (check.empty())
    {
        std::cout << page;
        return 0;
    }
    std::ifstream in(check);
    if (!in)
    {
        std::cerr << "print-trace-sources: --check=" << check << ": cannot read the file"
                  << std::endl;
        return 2;
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (text.str() != page)
    {
        std::cerr << "print-trace-sources: " << check << " is stale (the trace sources or their "
                  << "paths changed); regenerate it with:\n  " << argv[0] << " > " << check
                  << std::endl;
        return 1;
    }
    return 0;
}
