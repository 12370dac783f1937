#!/usr/bin/env python3
"""Reference data for the Ising graph generators (models/ising/ising_graph.c).

Writes tests/data/ising_graphs_ref.txt: one line per graph spec,
    SPEC NODES EDGES MAX_DEGREE FNV1A64
where FNV1A64 is the 64-bit FNV-1a hash (as ob_hash) of the sorted edge list written as
"i,j\n" lines with i < j, under the node numbering documented in models/ising/ising_graph.h:
  grid:WxH     networkx grid_2d_graph(W, H), nodes (x, y) numbered in sorted order
  grid3:AxBxC  networkx grid_graph(dim=(A, B, C)), whose nodes are tuples (c, b, a),
               numbered in sorted order of (a, b, c)
  chimera:M    dwave_networkx chimera_graph(M) integer labels
  pegasus:M    dwave_networkx pegasus_graph(M) integer labels, renumbered 0..n-1 in order

Needs: pip install networkx dwave-networkx. Used only to generate the file, never at test time.
Usage: python3 tools/ising_graph_ref.py > tests/data/ising_graphs_ref.txt
"""
import sys
import warnings

import networkx as nx

warnings.simplefilter("ignore")
import dwave_networkx as dnx  # noqa: E402


def fnv1a64(data: bytes) -> int:
    h = 0xCBF29CE484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def line(spec, g, number):
    edges = sorted(tuple(sorted((number[a], number[b]))) for a, b in g.edges())
    text = "".join(f"{i},{j}\n" for i, j in edges).encode()
    degree = max((d for _, d in g.degree()), default=0)
    return f"{spec} {g.number_of_nodes()} {len(edges)} {degree} {fnv1a64(text):016x}"


def numbered(nodes, key=lambda x: x):
    return {v: i for i, v in enumerate(sorted(nodes, key=key))}


def main():
    out = []
    for w, h in [(1, 1), (2, 3), (5, 4), (20, 20), (64, 64)]:
        g = nx.grid_2d_graph(w, h)
        out.append(line(f"grid:{w}x{h}", g, numbered(g.nodes())))
    for a, b, c in [(2, 3, 4), (8, 8, 8)]:
        g = nx.grid_graph(dim=(a, b, c))
        out.append(line(f"grid3:{a}x{b}x{c}", g, numbered(g.nodes(), key=lambda t: t[::-1])))
    for m in [1, 2, 3, 16]:
        g = dnx.chimera_graph(m)
        out.append(line(f"chimera:{m}", g, {v: v for v in g.nodes()}))
    for m in [2, 3, 4, 6, 14, 16]:
        g = dnx.pegasus_graph(m)
        out.append(line(f"pegasus:{m}", g, numbered(g.nodes())))
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
