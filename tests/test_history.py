"""The shared undo/redo + change-event core (cjm_widgets/_history.py)."""

from __future__ import annotations

import copy
import pickle
from dataclasses import dataclass, field

import pytest

from cjm_widgets._history import History, HistoryError, Step
from cjm_widgets.errors import JourneyError


@dataclass
class Doc:
    """A tiny editable owner: a list of words, snapshots as tuples."""

    words: list[str] = field(default_factory=list)
    history: History[tuple[str, ...], str] = field(
        default_factory=lambda: History(name="doc", error=JourneyError)
    )

    def restore(self, state: tuple[str, ...]) -> None:
        self.words = list(state)

    def add(self, word: str) -> None:
        if not word:
            raise ValueError("empty word")
        before = tuple(self.words)
        self.words.append(word)
        self.history.record(f"add {word}", before, tuple(self.words))
        self.history.emit(f"add {word}", kind="add")

    def undo(self) -> str | None:
        step = self.history.undo(self.restore)
        return None if step is None else step.change

    def redo(self) -> str | None:
        step = self.history.redo(self.restore)
        return None if step is None else step.change


def test_undo_redo_walk_the_states_and_return_the_change() -> None:
    doc = Doc()
    doc.add("a")
    doc.add("b")
    assert doc.history.can_undo and not doc.history.can_redo
    assert doc.undo() == "add b" and doc.words == ["a"]
    assert doc.undo() == "add a" and doc.words == []
    assert doc.undo() is None and doc.words == []
    assert doc.redo() == "add a" and doc.words == ["a"]
    assert doc.redo() == "add b" and doc.words == ["a", "b"]
    assert doc.redo() is None


def test_a_new_change_clears_redo() -> None:
    doc = Doc()
    doc.add("a")
    doc.add("b")
    doc.undo()
    assert doc.history.can_redo
    doc.add("c")
    assert not doc.history.can_redo and doc.redo() is None
    assert doc.words == ["a", "c"]
    assert [s.change for s in doc.history.undo_steps] == ["add a", "add c"]


def test_batch_is_one_step_with_a_summary_of_its_changes() -> None:
    doc = Doc()
    doc.add("x")
    seen: list[list[str]] = []

    def summarize(changes: list[str]) -> str:
        seen.append(changes)
        return f"batch of {len(changes)}"

    with doc.history.batch(doc.restore, summarize=summarize):
        doc.add("a")
        with doc.history.batch(doc.restore, summarize=lambda c: "inner"):
            doc.add("b")
            doc.add("c")
    assert seen == [["add a", "add b", "add c"]]
    assert len(doc.history.undo_steps) == 2
    assert doc.undo() == "batch of 3" and doc.words == ["x"]
    assert doc.redo() == "batch of 3" and doc.words == ["x", "a", "b", "c"]
    assert doc.undo() == "batch of 3"
    assert doc.undo() == "add x" and doc.words == []


def test_empty_batch_records_nothing_and_keeps_redo() -> None:
    doc = Doc()
    doc.add("a")
    doc.undo()
    with doc.history.batch(doc.restore, summarize=lambda c: "never"):
        pass
    assert not doc.history.can_undo and doc.history.can_redo


def test_failing_batch_rolls_back_only_its_own_steps_and_reports_them() -> None:
    doc = Doc()
    doc.add("keep")
    reverted: list[list[str]] = []
    batch = doc.history.batch(doc.restore, summarize=lambda c: "b", on_revert=reverted.append)
    with pytest.raises(ValueError, match="empty word"), batch:
        doc.add("a")
        doc.add("b")
        doc.add("")
    assert doc.words == ["keep"]
    assert reverted == [["add a", "add b"]]
    assert [s.change for s in doc.history.undo_steps] == ["add keep"]
    assert not doc.history.in_batch


def test_inner_batch_failure_caught_inside_outer_keeps_outer_steps() -> None:
    doc = Doc()
    with doc.history.batch(doc.restore, summarize=lambda c: "+".join(c)):
        doc.add("a")
        inner = doc.history.batch(doc.restore, summarize=lambda c: "inner")
        with pytest.raises(ValueError), inner:
            doc.add("b")
            doc.add("")
        doc.add("c")
    assert doc.words == ["a", "c"]
    assert doc.undo() == "add a+add c" and doc.words == []


def test_undo_redo_and_clear_refused_inside_a_batch_with_the_owners_error() -> None:
    doc = Doc()
    doc.add("a")
    with doc.history.batch(doc.restore, summarize=lambda c: "b"):
        with pytest.raises(JourneyError, match="finish the batch first"):
            doc.undo()
        with pytest.raises(JourneyError, match="finish the batch first"):
            doc.redo()
        with pytest.raises(JourneyError, match="inside a batch"):
            doc.history.clear()
    assert doc.words == ["a"]


def test_default_error_is_history_error() -> None:
    history: History[int, str] = History()
    with history.batch(lambda s: None, summarize=lambda c: "b"), pytest.raises(HistoryError):
        history.undo(lambda s: None)


def test_limit_keeps_the_newest_steps() -> None:
    doc = Doc(history=History(limit=2))
    for w in "abcd":
        doc.add(w)
    assert [s.change for s in doc.history.undo_steps] == ["add c", "add d"]
    doc.undo()
    doc.undo()
    assert doc.words == ["a", "b"] and doc.undo() is None
    with pytest.raises(ValueError, match="at least 1"):
        History(limit=0)


def test_clear_forgets_both_stacks() -> None:
    doc = Doc()
    doc.add("a")
    doc.add("b")
    doc.undo()
    doc.history.clear()
    assert not doc.history.can_undo and not doc.history.can_redo
    assert doc.words == ["a"]


def test_restore_failure_leaves_the_step_on_its_stack() -> None:
    history: History[int, str] = History()
    history.record("x", 1, 2)

    def broken(state: int) -> None:
        raise OSError("disk gone")

    with pytest.raises(OSError):
        history.undo(broken)
    assert history.can_undo and not history.can_redo


def test_delta_states_work_like_snapshots() -> None:
    """States need not be snapshots: here each is an operation on a counter."""
    total = [0]
    history: History[int, str] = History()

    def apply(delta: int) -> None:
        total[0] += delta

    apply(5)
    history.record("add 5", -5, +5)
    apply(3)
    history.record("add 3", -3, +3)
    history.undo(apply)
    history.undo(apply)
    assert total == [0]
    history.redo(apply)
    assert total == [5]


def test_observers_get_changes_in_order_and_can_leave() -> None:
    doc = Doc()
    got: list[tuple[str, str]] = []
    first = doc.history.observe(lambda c: got.append(("1", c)))
    doc.history.observe(lambda c: got.append(("2", c)))
    doc.add("a")
    assert got == [("1", "add a"), ("2", "add a")]
    doc.history.unobserve(first)
    doc.history.unobserve(print)  # not observing: no error
    doc.add("b")
    assert got[-1] == ("2", "add b") and len(got) == 3
    assert len(doc.history.observers) == 1


def test_failing_observer_warns_names_it_and_others_still_run() -> None:
    doc = Doc()
    got: list[str] = []

    def broken(change: str) -> None:
        raise RuntimeError("boom")

    doc.history.observe(broken)
    doc.history.observe(got.append)
    with pytest.warns(RuntimeWarning, match=r"A doc observer .*broken.* failed on 'add'.*boom"):
        doc.add("a")
    assert got == ["add a"] and doc.words == ["a"]


def test_observe_needs_a_callable() -> None:
    history: History[int, str] = History(error=JourneyError)
    with pytest.raises(JourneyError, match="needs a callable"):
        history.observe("not callable")  # type: ignore[arg-type]


def test_warning_names_the_owner_with_its_article() -> None:
    history: History[int, str] = History(name="evidence")

    def broken(change: str) -> None:
        raise KeyError("k")

    history.observe(broken)
    with pytest.warns(RuntimeWarning, match=r"^An evidence observer .* failed on 'str'"):
        history.emit("tagged")


@pytest.mark.parametrize("clone", [copy.deepcopy, lambda h: pickle.loads(pickle.dumps(h))])
def test_copies_keep_steps_drop_observers_and_are_independent(clone: object) -> None:
    doc = Doc()
    doc.history.observe(print)
    doc.add("a")
    doc.add("b")
    copied = clone(doc.history)  # type: ignore[operator]
    assert copied.observers == ()
    assert [s.change for s in copied.undo_steps] == ["add a", "add b"]
    words: list[str] = ["a", "b"]

    def restore(state: tuple[str, ...]) -> None:
        words[:] = state

    copied.undo(restore)
    assert words == ["a"]
    assert len(doc.history.undo_steps) == 2 and len(doc.history.observers) == 1


def test_step_changes_flatten_nested_batches() -> None:
    leaf: Step[int, str] = Step("a", 0, 1)
    inner: Step[int, str] = Step("inner", parts=(Step("b", 1, 2), Step("c", 2, 3)))
    outer: Step[int, str] = Step("outer", parts=(leaf, inner))
    assert outer.changes() == ["a", "b", "c"]
    seen: list[int] = []
    outer.undo(seen.append)
    assert seen == [2, 1, 0]
    seen.clear()
    outer.redo(seen.append)
    assert seen == [1, 2, 3]


def test_snapshot_batch_keeps_one_before_after_pair() -> None:
    doc = Doc()
    doc.add("x")
    restores: list[tuple[str, ...]] = []

    def restore(state: tuple[str, ...]) -> None:
        restores.append(state)
        doc.restore(state)

    snap = lambda: tuple(doc.words)  # noqa: E731
    with doc.history.batch(restore, summarize=lambda c: f"{len(c)} adds", snapshot=snap):
        for w in "abc":
            doc.add(w)
    (step,) = doc.history.undo_steps[1:]
    assert step.parts == () and step.before == ("x",) and step.after == ("x", "a", "b", "c")
    assert doc.history.undo(restore) is step and doc.words == ["x"] and len(restores) == 1
    doc.history.redo(restore)
    assert doc.words == ["x", "a", "b", "c"]


def test_failing_snapshot_batch_restores_the_state_before() -> None:
    doc = Doc()
    doc.add("keep")
    reverted: list[list[str]] = []
    batch = doc.history.batch(
        doc.restore,
        summarize=lambda c: "b",
        on_revert=reverted.append,
        snapshot=lambda: tuple(doc.words),
    )
    with pytest.raises(ValueError), batch:
        doc.add("a")
        doc.add("")
    assert doc.words == ["keep"] and reverted == [["add a"]]
    assert len(doc.history.undo_steps) == 1
