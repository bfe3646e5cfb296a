#!/usr/bin/env bats
# tests/run-test runs runner.bats again in this file's place, under
# TRIBENCH_CONTAINMENT=pgroup: the runner and cleanup tests cover both
# containments. This file itself holds no test.
