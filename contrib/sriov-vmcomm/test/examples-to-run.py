#! /usr/bin/env python3
# The module's examples that ./test.py runs inside an ns-3 source tree (./test.py -s sriov-vmcomm
# and the full run): (example command, run it?, run it under valgrind?). Short runs: each
# checks that the program builds its simulation, runs it and writes its summary without error.

# A list of C++ examples to run in order to ensure that they remain buildable and runnable over
# time.
cpp_examples = [
    ("vf-to-vf --duration=100us", "True", "False"),
    ("vf-to-vf --duration=100us --ascii=1", "True", "False"),
    ("print-trace-sources", "True", "False"),
    ("scenario --mode=vf-dma --duration=20us --quiet", "True", "False"),
    ("compare-modes --mode=all --duration=20us --quiet", "True", "False"),
    ("dma-bench --op=read --size=64,256", "True", "False"),
    # A topology of the repository, through the module's link into the tree (README).
    ("topology-check contrib/sriov-vmcomm/../../scenarios/topologies/two-hosts.dot", "True", "False"),
]

# A list of Python examples to run in order to ensure that they remain runnable over time (the
# module has none).
python_examples = []
