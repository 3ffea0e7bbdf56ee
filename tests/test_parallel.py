"""Work items for the forked workers: same results in order, balanced by cost."""

from __future__ import annotations

from dedup.parallel import MAX_CHUNK, map_ordered, work_chunks


def _square_plus(offset: int, item: int) -> int:
    return item * item + offset


def test_chunks_by_cost_split_a_run_of_expensive_items() -> None:
    # Clusters come largest first: by count, the first chunk held every large one.
    sizes = [400, 300, 200, 100] + [2] * 2000
    chunks = work_chunks(sizes, 2, cost=lambda n: n * n)
    budget = sum(n * n for n in sizes) // 16
    assert [list(c) for c in chunks[:3]] == [[400], [300], [200]]
    assert chunks[3][0] == 100
    assert all(sum(n * n for n in c) <= budget or len(c) == 1 for c in chunks)
    assert all(len(c) <= MAX_CHUNK for c in chunks)
    assert [n for c in chunks for n in c] == sizes  # every item once, in order
    by_count = work_chunks(sizes, 2)
    assert len(by_count[0]) > 100  # what the cost-less split does with the same items


def test_cost_sized_work_items_map_back_to_every_result_in_order() -> None:
    # As the align stage uses them: groups of items, each group one item on a worker.
    items = list(range(300, 0, -1))
    groups = work_chunks(items, 2, cost=lambda n: n)
    assert len(groups) > 2
    mapped = [r for part in map_ordered(_squares, groups, 7, 2, min_per_worker=1)
              for r in part]
    assert mapped == [_square_plus(7, i) for i in items]


def _squares(offset: int, group: list[int]) -> list[int]:
    return [_square_plus(offset, i) for i in group]
