#!/usr/bin/env python3
"""SASS instruction counts by execution pipe, per kernel and per loop body, for the PTX that
NVIDIA's OpenCL compiler leaves in oclbench's program cache (a .bin there is PTX on NVIDIA).

  python3 sass_pipes.py FILE.bin|FILE.ptx... [--ptxas PATH] [--nvdisasm PATH] [--kernel NAME]

Each file goes through `ptxas -arch=sm_90` and `nvdisasm -c`. Loops are found as backward
branches (a BRA to a label above it); a loop body is the code from the label to the branch
(static counts: every path once), also given without the loops nested in it.
Pipes (H100/H200, per SM sub-partition and clock; CUDA C Programming Guide, arithmetic
instruction throughput for compute capability 9.0: 128 fp32 results per SM, 64 for 32-bit
integer add, multiply, shift, logic, compare and min/max, 16 for conversions and special
functions):
  fp    FFMA FADD FMUL (32 lanes: either half of the FMA pipe)
  imad  IMAD* IMUL (16 lanes: the FMA pipe's heavy half only)
  alu   LOP3 IADD3 SHF ISETP FSETP FMNMX IMNMX SEL FSEL LEA PRMT MOV PLOP3 VIADD I2FP ... (16)
  xu    MUFU I2F F2I F2F POPC FLO BREV (4 lanes)
  mem   LDG STG LDS STS LDC LDL STL ATOM RED SHFL; ctl BRA BAR EXIT ...; uni U* (uniform)
The bound of a piece of code in issue-cycle equivalents (one warp instruction per clock per
sub-partition): max(all, 2 alu, fp + imad, 2 imad, 8 xu) cycles per warp.
"""
import re, subprocess, sys, tempfile, os, collections

FP = {'FFMA', 'FADD', 'FMUL', 'FFMA32I', 'FADD32I', 'FMUL32I', 'HFMA2', 'HADD2', 'HMUL2'}
IMAD = {'IMAD', 'IMUL', 'IMAD32I', 'IMUL32I'}
XU = {'MUFU', 'I2F', 'F2I', 'F2F', 'POPC', 'FLO', 'BREV', 'FRND'}
MEM = {'LDG', 'STG', 'LDS', 'STS', 'LDC', 'LDL', 'STL', 'ATOM', 'ATOMS', 'RED', 'SHFL', 'LD', 'ST',
       'LDSM', 'ATOMG', 'CCTL', 'MEMBAR', 'ERRBAR', 'LDGSTS', 'LDGDEPBAR', 'DEPBAR'}
CTL = {'BRA', 'BAR', 'EXIT', 'BSYNC', 'BSSY', 'WARPSYNC', 'RET', 'CALL', 'NOP', 'BMOV', 'YIELD',
       'JMP', 'BRX', 'KILL', 'NANOSLEEP'}


def pipe(op):
    base = op.split('.')[0]
    if base in FP: return 'fp'
    if base in IMAD: return 'imad'
    if base in XU: return 'xu'
    if base in MEM: return 'mem'
    if base in CTL: return 'ctl'
    if base.startswith('U') and base not in ('UMOV',) or base in ('UMOV', 'S2UR', 'R2UR'): return 'uni'
    return 'alu'


def bound(c):
    return max(sum(c.values()), 2 * c['alu'], c['fp'] + c['imad'], 2 * c['imad'], 8 * c['xu'])


def disasm(path, ptxas, nvdisasm):
    with tempfile.TemporaryDirectory() as d:
        src = path
        if not path.endswith('.ptx'):
            src = os.path.join(d, 'k.ptx')
            with open(path, 'rb') as f, open(src, 'wb') as g:
                g.write(f.read().split(b'\0')[0])
        cub = os.path.join(d, 'k.cubin')
        subprocess.run([ptxas, '-arch=sm_90', src, '-o', cub], check=True)
        return subprocess.run([nvdisasm, '-c', cub], check=True, capture_output=True,
                              text=True).stdout


def kernels(text):
    """{name: [(label or None, opcode, full line)]}"""
    out, cur = {}, None
    for line in text.splitlines():
        m = re.match(r'\s*//-+ \.text\.(\S+)', line)
        if m:
            cur = m.group(1); out[cur] = []; continue
        if cur is None: continue
        m = re.match(r'^(\.L_x_\d+):', line)
        if m:
            out[cur].append((m.group(1), None, line)); continue
        m = re.match(r'\s*/\*[0-9a-f]+\*/\s+(@!?U?P\w+\s+)?([A-Z][A-Z0-9_.]*)', line)
        if m: out[cur].append((None, m.group(2), line))
    return out


def report(name, code):
    allc = collections.Counter(pipe(op) for _, op, _ in code if op)
    print(f'kernel {name}: {sum(allc.values())} instructions  ' +
          ' '.join(f'{k} {v}' for k, v in sorted(allc.items())))
    labels = {lab: i for i, (lab, _, _) in enumerate(code) if lab}
    loops = []
    for i, (_, op, line) in enumerate(code):
        if not op or not op.startswith('BRA'): continue
        m = re.search(r'`\((\.L_x_\d+)\)', line)
        if m and m.group(1) in labels and labels[m.group(1)] <= i:
            loops.append((m.group(1), labels[m.group(1)], i))
    for name, a, b in loops:
        body = [o for _, o, _ in code[a:b + 1] if o]
        c = collections.Counter(pipe(o) for o in body)
        ops = collections.Counter(o.split('.')[0] for o in body)
        print(f'  loop {name}: {len(body)} instructions, bound {bound(c)} cycles/warp; ' +
              ' '.join(f'{k} {v}' for k, v in sorted(c.items())))
        print('    ' + ' '.join(f'{k} {v}' for k, v in ops.most_common(14)))
        own = set(range(a, b + 1))
        for _, a2, b2 in loops:
            if a < a2 and b2 < b: own -= set(range(a2, b2 + 1))
        if len(own) < b + 1 - a:
            c = collections.Counter(pipe(code[j][1]) for j in own if code[j][1])
            print(f'    without its inner loops: {sum(c.values())} instructions, bound '
                  f'{bound(c)}; ' + ' '.join(f'{k} {v}' for k, v in sorted(c.items())))


def main():
    args = sys.argv[1:]
    ptxas, nvdisasm, only = 'ptxas', 'nvdisasm', None
    files = []
    while args:
        a = args.pop(0)
        if a == '--ptxas': ptxas = args.pop(0)
        elif a == '--nvdisasm': nvdisasm = args.pop(0)
        elif a == '--kernel': only = args.pop(0)
        else: files.append(a)
    for f in files:
        print(f'== {f}')
        for name, code in kernels(disasm(f, ptxas, nvdisasm)).items():
            if only is None or only in name: report(name, code)


if __name__ == '__main__':
    main()
