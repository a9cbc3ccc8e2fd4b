"""All pairs of weighted term sets that may reach a cosine threshold, without comparing every pair.

``weigh`` gives each term a weight by its rarity (idf²) and each item (anything with a set of terms
``f`` and a writable ``size``) its total weight; ``candidate_pairs`` yields the pairs of items whose
weighted cosine, ``W(x ∩ y) / √(W(x)·W(y))`` (the TF-IDF cosine of the two term sets), can reach the
threshold — every such pair once, and few others — by prefix and positional filtering (as in PPJoin,
Xiao et al. 2008):

* terms are ordered globally, rarest (heaviest) first, and each item is indexed under all its terms;
* an item x looks only for items at least as large and at most W(x)/threshold² (larger ones cannot
  reach the cosine), and probes the index only with its *prefix*: its first terms until the rest
  weighs less than threshold·W(x) — a pair that reaches the threshold shares at least that much, so
  the first term they share is in x's prefix;
* at that first shared term, the overlap can be at most its weight plus the lesser of what follows it
  in x and in y: a y that cannot reach the threshold even so is dropped.

The work grows with the number of items that share rare terms, not with the number of pairs
(benchmarks/near_dups.py: 10k cards of topic decks score about 2 candidate pairs per card).
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict

MIN_DOCS = 1000  # weights treat a smaller collection as if it had this many items


def weigh(items: list) -> dict[str, float]:
    """Each term's weight, ``idf² = ln(1 + N/df)²`` (N at least MIN_DOCS), and each item's ``size``: the
    sum of its terms' weights. Items have a set of terms ``f`` and a writable ``size``. With these
    weights the cosine below is the usual TF-IDF cosine of binary term vectors."""
    df: dict[str, int] = defaultdict(int)
    for item in items:
        for t in item.f:
            df[t] += 1
    n = max(len(items), MIN_DOCS)
    weights = {t: math.log(1.0 + n / d) ** 2 for t, d in df.items()}
    for item in items:
        item.size = sum(weights[t] for t in item.f)
    return weights


def candidate_pairs(items: list, weights: dict[str, float], threshold: float):
    """Pairs (smaller, larger) of items whose facts may reach a weighted cosine of ``threshold``.

    Every pair that does is yielded once, and few others (prefix and positional filtering, as in
    PPJoin). Terms are ordered globally, rarest first. The smaller fact x probes an index of every
    fact with its prefix: the rarest terms until the rest weighs less than threshold·W(x). The first
    term x shares with y comes first in both, so their overlap is at most its weight plus the lesser
    of what follows it in x and in y; and only facts of the sizes a cosine of ``threshold`` allows
    (W(x) ≤ W(y) ≤ W(x)/threshold²) are looked at."""
    order = {t: n for n, t in enumerate(sorted(weights, key=lambda t: (-weights[t], t)))}
    ranked = sorted(range(len(items)), key=lambda k: (items[k].size, k))
    sizes = [items[k].size for k in ranked]
    roots = [threshold * math.sqrt(size) for size in sizes]
    holders: dict[str, list[int]] = defaultdict(list)  # term → ranks of the facts that have it, ascending
    afters: dict[str, list[float]] = defaultdict(list)  # … and each one's weight after that term
    probes: list[list[tuple[str, float, float]]] = []  # per rank: (term, weight, weight after it)
    for r, k in enumerate(ranked):
        rest = sizes[r]
        probe = []
        for t in sorted(items[k].f, key=order.__getitem__):
            wt = weights[t]
            rest -= wt
            holders[t].append(r)
            afters[t].append(rest)
            probe.append((t, wt, rest))
        probes.append(probe)
    right = bisect.bisect_right
    for r, k in enumerate(ranked):
        x = items[k]
        last = right(sizes, x.size / (threshold * threshold) + 1e-9) - 1  # the largest y allowed
        need = threshold * x.size - 1e-9
        root = math.sqrt(x.size)
        shared: dict[int, float] = {}  # rank of y → weight shared so far
        tail: dict[int, float] = {}  # rank of y → the most they can share after the last term shared
        get = shared.get
        dead: set[int] = set()
        rest = x.size
        for t, wt, after_x in probes[r]:
            if rest < need:  # the remaining terms cannot reach the threshold on their own
                break
            rest = after_x
            ranks, after = holders[t], afters[t]
            for i in range(right(ranks, r), right(ranks, last)):
                s = ranks[i]
                more = after_x if after_x < after[i] else after[i]
                got = get(s)
                if got is not None:
                    shared[s] = got + wt
                    tail[s] = more
                elif s not in dead:
                    if wt + more >= root * roots[s] - 1e-9:
                        shared[s] = wt
                        tail[s] = more
                    else:
                        dead.add(s)
        for s, weight in shared.items():
            left = tail[s]  # … of which only what x has not probed yet (it was looked up in the index)
            if weight + (rest if rest < left else left) >= root * roots[s] - 1e-9:
                yield x, items[ranked[s]]
