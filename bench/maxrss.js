// Preloaded into a benchmarked process: reports its peak resident memory on exit.
process.on('exit', () => process.stderr.write(`\nmaxrss-kb ${process.resourceUsage().maxRSS}\n`));
