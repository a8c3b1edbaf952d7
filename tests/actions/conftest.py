"""Shared by the action tests: today is 20 December 2015, in the plan's third quarter."""

import datetime

import pytest
import time_machine

from tests.factories import make_period


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2015, 12, 20, 10, 0), tick=False):
        yield


@pytest.fixture
def q3(plan):
    """The plan's current reporting period (Q2 before it)."""
    make_period(
        plan=plan,
        name="Q2 2015/16",
        slug="q2",
        start=datetime.date(2015, 7, 1),
        end=datetime.date(2015, 9, 30),
    )
    return make_period(
        plan=plan,
        name="Q3 2015/16",
        slug="q3",
        start=datetime.date(2015, 10, 1),
        end=datetime.date(2015, 12, 31),
    )
