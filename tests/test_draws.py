"""The recipe's repeatable draws (``segclf.draws``)."""

from __future__ import annotations

import random

from segclf.draws import drawn, seed_of


def test_a_draw_depends_on_its_key_only_and_a_share_is_kept() -> None:
    assert seed_of("page/1") == seed_of("page/1") != seed_of("page/2")
    assert 0 <= seed_of("page/1") < 2**64
    ids = [f"page/{n}" for n in range(4000)]
    chosen = [i for i in ids if drawn("variant", i, 0.3)]
    assert 0.27 < len(chosen) / len(ids) < 0.33
    assert chosen == [i for i in ids if drawn("variant", i, 0.3)]
    assert chosen != [i for i in ids if drawn("other purpose", i, 0.3)]  # each purpose draws its own pages
    assert not any(drawn("variant", i, 0.0) for i in ids) and all(drawn("variant", i, 1.0) for i in ids)
    assert random.Random(seed_of("x")).random() == random.Random(seed_of("x")).random()
