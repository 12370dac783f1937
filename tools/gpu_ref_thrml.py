#!/usr/bin/env python3
"""Reference figures for the Ising benchmark: thrml (JAX) block Gibbs sampling, flips/ns.

Runs on whatever JAX device is present (the H200 in the GPU kit, the CPU here). Not used by
oclbench at run or test time; it produces the side-by-side numbers of bench/RESULTS.md.
flips/ns = sweeps x nodes x chains / time, compile excluded (thrml's definition).

Usage: python3 tools/gpu_ref_thrml.py [--graph pegasus:14|grid:20x20] [--chains 8,80,...]
       [--sweeps 100] [--reps 3]
"""
import argparse
import time

import jax
import jax.numpy as jnp
import networkx as nx

from thrml import Block, SamplingSchedule, SpinNode, sample_states
from thrml.models import IsingEBM, IsingSamplingProgram, hinton_init


def make_graph(spec):
    kind, _, arg = spec.partition(":")
    if kind == "pegasus":
        import dwave_networkx as dnx
        return dnx.pegasus_graph(int(arg))
    if kind == "grid":
        w, h = (int(x) for x in arg.split("x"))
        return nx.grid_graph(dim=[w, h])
    raise SystemExit(f"unknown graph {spec}")


def build(spec, seed):
    g = nx.convert_node_labels_to_integers(make_graph(spec))
    nodes = [SpinNode() for _ in range(g.number_of_nodes())]
    edges = [(nodes[i], nodes[j]) for i, j in g.edges]
    key = jax.random.PRNGKey(seed)
    kb, kw = jax.random.split(key)
    biases = jax.random.normal(kb, (len(nodes),))
    weights = jax.random.normal(kw, (len(edges),))
    model = IsingEBM(nodes, edges, biases, weights, jnp.array(1.0))
    colours = nx.coloring.greedy_color(g, strategy="DSATUR")
    ncol = max(colours.values()) + 1
    blocks = [Block([nodes[i] for i in g.nodes if colours[i] == c]) for c in range(ncol)]
    program = IsingSamplingProgram(model, blocks, clamped_blocks=[])
    return g, model, program, blocks, nodes


def flips_per_ns(spec, chains, sweeps, reps, seed=0):
    g, model, program, blocks, nodes = build(spec, seed)
    # With one sample, thrml runs only the warm-up: `sweeps` sweeps, then one observation.
    schedule = SamplingSchedule(n_warmup=sweeps, n_samples=1, steps_per_sample=1)
    everything = [Block(nodes)]

    def one_chain(key, init):
        return sample_states(key, program, schedule, init, [], everything)

    run = jax.jit(jax.vmap(one_chain))
    key = jax.random.PRNGKey(seed + 1)
    kinit, krun = jax.random.split(key)
    init = hinton_init(kinit, model, blocks, (chains,))
    keys = jax.random.split(krun, chains)
    jax.block_until_ready(run(keys, init))  # compile + first run, not timed
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        jax.block_until_ready(run(keys, init))
        best = min(best, time.perf_counter() - t0)
    n = g.number_of_nodes()
    return sweeps * n * chains / best / 1e9, best, n, g.number_of_edges(), len(blocks)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--graph", default="grid:20x20")
    ap.add_argument("--chains", default="8,16,32,64,128")
    ap.add_argument("--sweeps", type=int, default=100)
    ap.add_argument("--reps", type=int, default=3)
    a = ap.parse_args()
    print(f"# thrml on {jax.devices()[0]}")
    print("graph,nodes,edges,colours,chains,sweeps,seconds,flips_per_ns")
    for c in (int(x) for x in a.chains.split(",")):
        f, t, n, e, k = flips_per_ns(a.graph, c, a.sweeps, a.reps)
        print(f"{a.graph},{n},{e},{k},{c},{a.sweeps},{t:.6f},{f:.4f}", flush=True)


if __name__ == "__main__":
    main()
