#!/usr/bin/env bats
# tests/run-test runs executors.bats again in this file's place, under
# TRIBENCH_CONTAINMENT=pgroup: the worker's group is then a process group.
# This file itself holds no test.
