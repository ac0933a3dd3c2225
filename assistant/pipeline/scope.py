"""Step 2 — Query → Scope: which pools the answer may come from, or why it cannot be answered here
(a pool we do not have, a question outside the guidelines)."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.pipeline.understand import Query


@dataclass(frozen=True)
class Scope:
    pools: tuple[str, ...]  # empty: every pool (none named, none chosen, none in the conversation)
    named_in_question: bool = False
    unknown_pool: str | None = None
    out_of_scope: tuple[str, ...] = ()
    note: str | None = None  # said before the answer ("Du spørger om X; siden handler om Y.")

    @property
    def single(self) -> str | None:
        return self.pools[0] if len(self.pools) == 1 else None


def resolve_scope(query: Query, names: dict[str, str]) -> Scope:
    """`names`: pool id → the short name the answer uses."""
    if query.out_of_scope:
        return Scope(pools=(), out_of_scope=query.out_of_scope)
    named = list(query.named_pools)
    if query.unknown_pool and not named:
        return Scope(pools=(), unknown_pool=query.unknown_pool)
    if len(named) > 1:
        if query.compare:
            return Scope(pools=tuple(named), named_in_question=True)
        # "Vi søger også X, men hvad er fristen i Y?": the pool after the contrast is the one asked about.
        after = [m.pool for m in query.mentions if m.start >= query.contrast_index] if query.contrast_index else []
        if len(set(after)) == 1:
            named = after[:1]
        else:
            # "Skal budgettet fordeles på samme måde hos SærligSoc og viceværterne?": both pools named, neither
            # set aside — the question is about both, and each pool's answer is given under its name.
            return Scope(pools=tuple(named), named_in_question=True)
    if named:
        pool = named[0]
        note = None
        if query.chosen_pool and query.chosen_pool != pool:
            note = (
                f"Du spørger om {names.get(pool, pool)}, så svaret kommer fra den puljes vejledning "
                f"(ikke fra {names.get(query.chosen_pool, query.chosen_pool)})."
            )
        return Scope(pools=(pool,), named_in_question=True, note=note)
    if query.chosen_pool:
        return Scope(pools=(query.chosen_pool,))
    if query.history_pool:
        return Scope(pools=(query.history_pool,))
    return Scope(pools=())
