"""Course operations on top of nbgrader: release, self-grading, classroom autograding."""
