/* The text of the CLI's documentation (bench/help.h): one entry per command. Keep it true:
 * tests/test_help.c checks that every option listed here is one its command accepts, and
 * every option a command accepts is listed. */
#include "help.h"

#include <stddef.h>

static const ob_help_option devices_options[] = {
    {"--format table|csv|json|md", "The facts as the text listing (default), CSV (one row per\n"
                                   "device), a JSON array of objects keyed by the CSV columns, or a\n"
                                   "Markdown table."},
    {"--csv", "The same as --format csv."},
    {NULL, NULL},
};

static const ob_help_example devices_examples[] = {
    {"oclbench devices", "every device, its slug, driver, clock, memory, features and sensors"},
    {"oclbench devices --format csv > devices.csv", "the same for a spreadsheet"},
    {"oclbench devices --format json", "the same for a script"},
    {NULL, NULL},
};

static const ob_help_option run_options[] = {
    {"--device SEL", "The devices to run on (repeatable; default all): all, an index or slug\n"
                     "from 'oclbench devices', cpu, gpu, accel, an implementation (nvidia,\n"
                     "amd, intel, apple, pocl), or else a case-insensitive substring of the\n"
                     "device, vendor or platform name."},
    {"--out DIR", "Where the CSV files go, one per device: DIR/HOST__SLUG.csv. Without it,\n"
                  "each run writes a new directory results/<UTC time>-<host>/ and points\n"
                  "results/latest at it, so no run replaces another's files. A file of an\n"
                  "earlier run in DIR is not replaced: the run is refused (exit 2) unless\n"
                  "--force."},
    {"--force", "With --out: replace the files an earlier run left in DIR."},
    {"--format table|csv|json|md", "Standard output: the table with a column per device\n"
                                   "(default), Markdown, or every record with the CSV's columns as\n"
                                   "CSV or a JSON array of objects (the rest then goes to stderr)."},
    {"--wide", "The table at its full width (default: wrapped inside its cells to fit 100\n"
               "columns)."},
    {"--quick", "The small sizes only (a full quick run on a 2-core CPU takes minutes)."},
    {"--seconds S", "Time budget per measurement (default 1; 0.2 with --quick). A size whose\n"
                    "single repetition is predicted to take longer is a skipped row."},
    {"--sizes LIST", "Only the cases of these sizes, comma-separated, as --list names them\n"
                     "(1024, fc1024, resnet_64x56, 10.5M, 8x3x224x224, grid:20x20, ...);\n"
                     "the peak probes always run. A size no case has: exit 2 naming those\n"
                     "there are."},
    {"--chains LIST", "Only the Ising cases of these chain counts (comma-separated)."},
    {"--list", "Print the cases the run would measure (device, workload, variant,\n"
               "precision, size, params) and its estimated time; run nothing."},
    {"--sustain S", "Sustained run: each case of the chosen workloads repeats for S seconds\n"
                    "(0.1 to 86400) instead; its time series (t_s, value, clock_mhz, temp_c,\n"
                    "power_w) goes to DIR/sustain/HOST__SLUG.csv with a plot (.svg) beside it,\n"
                    "and a sustained_ratio row compares the last minute's rate with the first\n"
                    "(the last tenth with the first for runs under two minutes)."},
    {"--shard", "After the single devices, the workloads that can (the Ising sampler) run\n"
                "once more on all selected devices at once (rows of device all-N)."},
    {"--trace FILE.json", "Record every kernel launch, transfer and library call as Chrome trace\n"
                          "JSON (chrome://tracing, Perfetto)."},
    {"--trace-summary", "Print the per-kernel table of the trace (count, time, GFLOP/s, GB/s)."},
    {NULL, NULL},
};

static const ob_help_example run_examples[] = {
    {"oclbench run", "every workload on every device into results/latest (what 'make run' does)"},
    {"oclbench run peak --quick --format json > peak.json", "the records as JSON"},
    {"oclbench run peak linear --device gpu --out results/gpu", "two workloads on the GPUs"},
    {"oclbench run all --quick --device pocl", "the quick sizes on PoCL"},
    {"oclbench run ising --shard --device gpu", "the Ising sampler on each GPU, then on all"},
    {"oclbench run --list --quick", "what a quick run measures and how long it takes"},
    {"oclbench run linear ising --sizes 1024,pegasus:14 --chains 8,80 --quick",
     "chosen cases only"},
    {"oclbench run ising --quick --sustain 60 --device gpu",
     "each case for a minute: rate, clock and temperature over time"},
    {NULL, NULL},
};

static const ob_help_option compare_options[] = {
    {"--baseline SEL", "The column the speedups are against: a column index, a label (host/slug,\n"
                       "host/slug#2 or one --label gave), host:slug or slug (default: the first\n"
                       "file's device). A SEL that matches several columns is refused, naming\n"
                       "them."},
    {"--label FILE=NAME", "Name FILE's device column NAME (NAME/slug when it holds several),\n"
                          "e.g. two machines that are both called vm. Repeatable."},
    {"--format table|csv|json|md", "Standard output: the table (default), the wide CSV, a JSON\n"
                                   "array of objects keyed by its header, or Markdown."},
    {"--wide", "The table at its full width (default: wrapped to fit 100 columns)."},
    {"--out FILE.csv", "The wide table as CSV (raw values, speedups, peak fractions, notes)."},
    {"--md FILE.md", "The table as Markdown."},
    {"--svg FILE.svg", "An index FILE.svg linking one figure per workload family,\n"
                       "FILE-WORKLOAD.svg: bars with error bars (fastest to slowest repetition)\n"
                       "and flips/ns-vs-chains curves."},
    {NULL, NULL},
};

static const ob_help_example compare_examples[] = {
    {"oclbench compare laptop/*.csv server/*.csv", "one column per device, speedups over the first"},
    {"oclbench compare a.csv b.csv --label a.csv=laptop --label b.csv=server --baseline server",
     "columns named, speedups over the server"},
    {"oclbench compare a.csv b.csv --baseline 1 --md cmp.md --svg cmp.svg",
     "Markdown and plots, speedups over the second column"},
    {NULL, NULL},
};

static const ob_help_option plot_options[] = {
    {"--svg FILE.svg", "The figure (required): per metric its value over time, then the clock,\n"
                       "temperature and power over time, one curve per series."},
    {NULL, NULL},
};

static const ob_help_example plot_examples[] = {
    {"oclbench plot laptop/sustain/*.csv server/sustain/*.csv --svg heat.svg",
     "a laptop's and a server's sustained runs on one set of charts"},
    {NULL, NULL},
};

static const ob_help_option ising_options[] = {
    {"--graph SPEC", "grid:WxH, grid3:AxBxC, chimera:M, pegasus:M (as dwave_networkx),\n"
                     "random:N:D (random D-regular), or edges:FILE (CSV with header i,j,w;\n"
                     "0-based node ids). Default grid:20x20."},
    {"--biases FILE", "Biases h: a CSV with header i,h (nodes not listed: 0)."},
    {"--weights gauss|pm1", "Random h and J: N(0,1) (default) or +-1, seeded by --seed."},
    {"--beta B", "Inverse temperature (default 1)."},
    {"--chains N", "Chains sampled at once (default 128)."},
    {"--warmup W", "Sweeps before observation (default 0)."},
    {"--sweeps N", "Observed sweeps (default 100)."},
    {"--seed S", "Seed of the weights and of the Philox stream (default 0): the same seed gives\n"
                 "the same samples on every device and configuration."},
    {"--device SEL", "The device (default the first); with --shard, the devices."},
    {"--moments FILE.csv", "Write <s_i>, <s_i s_j>, <E> and <m> (columns kind,i,j,value)."},
    {"--samples FILE.csv", "Write the final states, one row per chain (-1/+1 per node)."},
    {"--train DATA.csv", "Train biases and weights on data by the KL-gradient estimator: a header\n"
                         "row naming the visible node ids (0-based), then one row per example of\n"
                         "-1 or 1 (+1 too) per visible node; 0 is refused."},
    {"--save-model PREFIX", "After --train, write the trained model as PREFIX.edges.csv (i,j,w) and\n"
                            "PREFIX.biases.csv (i,h), the files --graph edges:FILE and --biases\n"
                            "read back."},
    {"--epochs E", "Training epochs (with --train; default 10)."},
    {"--lr L", "Training learning rate (with --train; default 0.1)."},
    {"--info", "Print the graph's nodes, edges, degree and colours, and stop."},
    {"--host-loop", "Time the plain single-thread C loop instead (the CPU baseline)."},
    {"--tune", "Autotune the kernel configuration for this device and batch (cached)."},
    {"--update auto|float|multispin", "Spin update: the float field per chain (auto), or\n"
                                      "bitwise counts of 32 chains per word (couplings +-w)."},
    {"--path auto|local|global", "Kernel path: all sweeps in one launch with the state in\n"
                                 "local memory, or one launch per colour."},
    {"--spin-bits 1|2|4|8|16|32", "Chains per word."},
    {"--wg-size N", "Work-group size."},
    {"--wg-words N", "Words per work-group (local path)."},
    {"--schedule auto|local|global", "Where the local path reads its schedule from."},
    {"--pass-chains N", "At most N chains per pass (larger batches run in passes)."},
    {"--shard", "Split the chains over every selected device, in proportion to their speed;\n"
                "moments and samples stay identical to one device."},
    {"--trace FILE.json", "Record the kernel launches as Chrome trace JSON."},
    {"--trace-summary", "Print the per-kernel table of the trace."},
    {NULL, NULL},
};

static const ob_help_example ising_examples[] = {
    {"oclbench ising --graph pegasus:14 --info", "4264 nodes, 30404 edges, degree 15, 4 colours"},
    {"oclbench ising --graph pegasus:14 --chains 64000 --sweeps 100", "flips/ns"},
    {"oclbench ising --graph grid:1024x1024:periodic --weights pm1 --update multispin",
     "+-1 couplings, bitwise fields"},
    {"oclbench ising --chains 1024 --warmup 100 --sweeps 1000 --moments m.csv --samples s.csv",
     "moments and final states of grid:20x20"},
    {"oclbench ising --graph chimera:4 --train data.csv --epochs 20 --lr 0.05",
     "KL-gradient training"},
    {"oclbench ising --graph grid:3x3 --train data.csv --save-model m",
     "train, then write m.edges.csv and m.biases.csv"},
    {"oclbench ising --graph edges:m.edges.csv --biases m.biases.csv --moments mo.csv",
     "sample the trained model"},
    {NULL, NULL},
};

static const ob_help_option flops_options[] = {
    {"--batch N", "Images per batch (default 1): totals are per batch."},
    {"--input CxHxW|N", "Input shape (default the model's: 3x224x224, or 1024 features for mlp);\n"
                        "N alone is a vector of N features."},
    {"--csv FILE", "The per-layer table as CSV."},
    {"--dot FILE.dot", "The layer graph as Graphviz DOT (dot -Tsvg FILE.dot > FILE.svg)."},
    {NULL, NULL},
};

static const ob_help_example flops_examples[] = {
    {"oclbench flops simplecnn", "4,014,986 params; 0.0305 GFLOPs per image"},
    {"oclbench flops resnet18 --batch 32 --csv resnet18.csv", "58.05 GMACs for the batch"},
    {"oclbench flops mlp --input 1024", "10 x Linear(1024, 1024)"},
    {NULL, NULL},
};

const ob_help_command ob_help_commands[] = {
    {"devices", "[--format table|csv|json|md] [--csv]", "list the OpenCL devices",
     "Lists every OpenCL platform and device the ICD loader finds, in a stable order (GPUs,\n"
     "accelerators, then CPUs; by vendor and platform name within a type), with its slug\n"
     "(<vendor>-<type>-<n>: stable when another driver is installed; use it in scripts), driver,\n"
     "compute units, clock (the host CPU's where a CPU device reports 0), memory, fp64/fp16,\n"
     "PCI bus id, NUMA node, theoretical FP32 peak and the sensors found.",
     devices_options, devices_examples},
    {"run",
     "[WORKLOAD...] [--device SEL]... [--out DIR [--force]] [--quick] [--seconds S]\n"
     "[--sizes LIST] [--chains LIST] [--list] [--sustain S] [--shard]\n"
     "[--format table|csv|json|md] [--wide] [--trace FILE.json] [--trace-summary]",
     "run workloads, one CSV per device",
     "Runs the workloads (default all) on the selected devices: warm-up (never timed),\n"
     "repetitions calibrated to the time budget, min/median/max, and every result checked\n"
     "against a host reference in the same run. Writes HOST__SLUG.csv per device (schema 1,\n"
     "written atomically) into a new results/<UTC time>-<host>/ (results/latest points at the\n"
     "last) or --out DIR, and prints one table with a column per device. The peak probes run\n"
     "first on each device: the other workloads divide by them (peak_fraction).\n\n"
     "Progress goes to standard error: per step the workload, variant, precision and size, the\n"
     "time elapsed and the time left (estimated from the time budget, corrected by how long the\n"
     "steps so far took); a redrawn line on a terminal, one line per step otherwise.\n\n"
     "Where the device's sensors are readable (NVML for NVIDIA GPUs, Linux sysfs: hwmon, RAPL,\n"
     "cpufreq), each row also has the energy of its timed repetitions, mean power, hottest\n"
     "temperature, mean and lowest clock, whether it ran throttled and why, and its busy\n"
     "fraction (kernel time over wall time); rows of flips/J, GFLOP/J or uJ per step follow\n"
     "when the energy is known. Where none is, those columns stay empty and the device's first\n"
     "row says why.",
     run_options, run_examples},
    {"compare",
     "FILE.csv... [--baseline SEL] [--label FILE=NAME]... [--format F] [--wide]\n"
     "[--out FILE.csv] [--md FILE.md] [--svg FILE.svg]",
     "join CSV files into one cross-device table",
     "Reads per-device CSV files (from any machines), joins their rows on workload, variant,\n"
     "params, precision and metric, and prints one column per device (host/slug) with the\n"
     "speedup over the baseline: '2.31x faster' or '1.80x slower', for times (lower is better)\n"
     "and rates (higher is better) alike; in CSV and JSON the number (above 1: faster). Bad\n"
     "files exit 2 naming FILE:LINE; nothing is written then.",
     compare_options, compare_examples},
    {"ising",
     "[--graph SPEC] [--biases FILE] [--weights gauss|pm1] [--beta B] [--chains N]\n"
     "[--warmup W] [--sweeps N] [--seed S] [--device SEL]... [--moments FILE.csv]\n"
     "[--samples FILE.csv] [--train DATA.csv [--epochs E] [--lr L] [--save-model PREFIX]]\n"
     "[--info] [--host-loop] [--pass-chains N] [--shard] [--trace FILE.json]\n"
     "[--trace-summary]\n"
     "[--tune | --update U --path P --spin-bits B --wg-size N --wg-words N --schedule P]",
     "sample an Ising model, export moments and samples, train",
     "Samples P(s) ~ exp(beta (sum h_i s_i + sum J_ij s_i s_j)) with block Gibbs sweeps, many\n"
     "chains at once, bit-packed, with Philox4x32-10 random numbers keyed by (seed, chain,\n"
     "sweep, node): the same seed gives byte-identical samples on every device, configuration\n"
     "and split. Prints flips/ns when its time can be believed.",
     ising_options, ising_examples},
    {"flops", "MODEL [--batch N] [--input CxHxW|N] [--csv FILE] [--dot FILE.dot]",
     "count a model's parameters, MACs and FLOPs",
     "Counts per layer and in total, as calflops counts them (1 MAC = 2 FLOPs; BN, ReLU and\n"
     "pooling counted; backward = 2 x forward): parameters, MACs, FLOPs, output shape, fp32\n"
     "activation bytes, and the model size at fp32, fp16 and int8. MODEL: simplecnn, mlp,\n"
     "resnet18.",
     flops_options, flops_examples},
    {"plot", "SERIES.csv... --svg FILE.svg", "draw sustained runs over time",
     "Reads the series files of 'run --sustain' (DIR/sustain/HOST__SLUG.csv, from any\n"
     "machines) and draws rate, clock, temperature and power against time, so throttling shows\n"
     "as a picture. Bad files exit 2 naming FILE:LINE; nothing is written then.",
     plot_options, plot_examples},
    {NULL, NULL, NULL, NULL, NULL, NULL},
};

const ob_help_option ob_help_environment[] = {
    {"OCLBENCH_KERNEL_DIR", "Load cl_kernels/*.cl from this directory instead of the binary."},
    {"OCLBENCH_CACHE_DIR", "Program binary and tuning cache (default $XDG_CACHE_HOME/oclbench,\n"
                           "else ~/.cache/oclbench)."},
    {"OCLBENCH_NO_CACHE", "1: never read or write cached program binaries or tunings."},
    {"OCLBENCH_LOG", "error, warn (default), info or debug."},
    {"OCLBENCH_PROGRESS", "0: no progress on standard error."},
    {"OCLBENCH_SYSFS_ROOT", "Directory holding the sys/ tree sensors are read from (default /)."},
    {"OCLBENCH_NVML_LIBRARY", "NVML loaded for NVIDIA sensors (default libnvidia-ml.so.1; empty:\n"
                              "none)."},
    {"OCLBENCH_TUNE", "How every tuned kernel family (own SGEMM, int8 GEMM, conv, Adam, Ising\n"
                      "sampler) chooses its configuration: on (default: the cached one,\n"
                      "searched and cached per device, driver and shape when there is none),\n"
                      "off (the device's default, no search) or redo (search again)."},
    {"OCLBENCH_CONFIG_<FAMILY>", "A fixed configuration for GEMM, IGEMM, CONV, ADAM or ISING as\n"
                                 "k=v pairs, e.g. OCLBENCH_CONFIG_CONV=tm=128,tn=128,tk=8,wm=8,\n"
                                 "wn=8,wtx=8; keys not given take the device default."},
    {"OCLBENCH_TEST_DEVICE", "The test suite's device (a SEL, as --device takes)."},
    {"OCL_ICD_VENDORS", "The ICD loader's directory of .icd files (or one file)."},
    {"OCL_ICD_FILENAMES", "The ICD loader's list of driver libraries (':'-separated); both ICD\n"
                          "variables are named in the diagnosis when no platform is found."},
    {NULL, NULL},
};
