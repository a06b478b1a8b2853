// Speed benchmarks for distill (make bench). Prints figures; asserts nothing.
//   DistillBench [--rows N] [--features F] [--depth D] [--out DIR]   the sample benchmarks
//   DistillBench forward|tree|load|csv ...                             one workload of Benchmarks/performance.py

let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "tree":
    try treeWorkload(WorkloadArguments(arguments.dropFirst()))
case "load":
    try loadWorkload(WorkloadArguments(arguments.dropFirst()))
case "csv":
    try csvWorkload(WorkloadArguments(arguments.dropFirst()))
case "kernel-scales":
    try kernelScaleWorkload(WorkloadArguments(arguments.dropFirst()))
case "forward":
    try forwardWorkload(WorkloadArguments(arguments.dropFirst()))
default:
    try sampleBenchmarks()
}
