#!/usr/bin/env python3
# Measures one TUI build in its own tmux server: idle CPU, CPU at 100 messages/s, key latency, RSS, torn frames.
# Usage: tui_budget.py NAME PROGRAM WIDTHxHEIGHT TMUX_SOCKET_NAME [VAR=VALUE ...] (environment for the program).
# Prints one "NAME metric=value ..." line.
import os, subprocess, sys, time

name, program, size, sock = sys.argv[1:5]
# PROGRAM: the peer to run, a .dll (run with dotnet) or a native executable (the AOT publish, scripts/programs.sh).
run = f"dotnet '{program}'" if program.endswith(".dll") else f"'{program}'"
env = " ".join(f"'{assignment}'" for assignment in sys.argv[5:])
# With P2PCHAT_TUI_PROFILE=FILE the program times keys and frames itself (docs/tui.md); FILE is written when it quits.
profile = next((a.split("=", 1)[1] for a in sys.argv[5:] if a.startswith("P2PCHAT_TUI_PROFILE=")), None)
width, height = (int(x) for x in size.split("x"))
idle_s, flood_s, keys = int(os.environ["IDLE_SECONDS"]), int(os.environ["FLOOD_SECONDS"]), int(os.environ["KEYS"])
settle_s = int(os.environ.get("SETTLE_SECONDS", "15"))
tick = os.sysconf("SC_CLK_TCK")

def tmux(*args):
    return subprocess.run(["tmux", "-L", sock, "-f", "/dev/null", *args], check=True, capture_output=True, text=True).stdout

def capture():
    return tmux("capture-pane", "-p", "-t", "b")

def wait_for(pred, timeout=60):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        s = capture()
        if pred(s):
            return s
        time.sleep(0.01)
    raise SystemExit(f"{name}: screen never got ready:\n{capture()}")

def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / tick

def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0

def cpu_percent(pid, seconds):
    c0, t0 = cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    return 100 * (cpu_seconds(pid) - c0) / (time.monotonic() - t0)

def torn(screen):
    lines = screen.rstrip("\n").split("\n")
    if len(lines) != height:
        return True
    status, prompt, body = lines[-2], lines[-1], lines[1:-2]
    if "[connected]" not in status or not prompt.startswith("[#general]") or not lines[0].startswith(" #general"):
        return True
    column = body[0].find("│")
    return column < 0 or any(len(row) <= column or row[column] != "│" for row in body)

try:
    tmux("new-session", "-d", "-s", "b", "-x", str(width), "-y", str(height), f"exec env {env} {run} --tui-demo")
    pid = int(tmux("display-message", "-p", "-t", "b", "#{pane_pid}").strip())
    wait_for(lambda s: s.startswith(" #general") and "[connected]" in s)
    # one key first, so compiling the input path is not timed as the first measured key's latency (in every UI alike)
    tmux("send-keys", "-t", "b", "-l", "z")
    wait_for(lambda s: s.rstrip("\n").split("\n")[-1].rstrip().endswith("z"), timeout=30)
    tmux("send-keys", "-t", "b", "C-u")
    wait_for(lambda s: s.rstrip("\n").split("\n")[-1].rstrip() == "[#general]", timeout=30)
    time.sleep(settle_s)  # let start-up work (JIT, tiering) finish before the idle window: a settling time, not a synchronisation
    idle = cpu_percent(pid, idle_s)

    # key-to-screen latency: type one letter, poll the screen until the input line shows it
    latencies = []
    typed = ""
    for i in range(keys):
        ch = "abcdefghij"[i % 10]
        typed += ch
        t0 = time.monotonic()
        tmux("send-keys", "-t", "b", "-l", ch)
        wait_for(lambda s: s.rstrip("\n").split("\n")[-1].rstrip().endswith(typed[-12:]), timeout=10)
        latencies.append(1000 * (time.monotonic() - t0))
        if len(typed) > 40:
            tmux("send-keys", "-t", "b", "C-u")
            wait_for(lambda s: s.rstrip("\n").split("\n")[-1].rstrip() == "[#general]", timeout=10)
            typed = ""
    tmux("send-keys", "-t", "b", "C-u")
    latencies.sort()
    p50, p99 = latencies[len(latencies) // 2], latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]

    # 100 messages a second into the current buffer: CPU over the flood, and captures checked for tearing
    count = 100 * (flood_s + 2)
    tmux("send-keys", "-t", "b", "-l", f"/flood {count}")
    tmux("send-keys", "-t", "b", "Enter")
    wait_for(lambda s: "flood message" in s)
    c0, t0 = cpu_seconds(pid), time.monotonic()
    captures = torn_count = 0
    while time.monotonic() - t0 < flood_s:
        captures += 1
        torn_count += torn(capture())
        time.sleep(0.05)
    flood = 100 * (cpu_seconds(pid) - c0) / (time.monotonic() - t0)
    rss = rss_mib(pid)
    load = open("/proc/loadavg").read().split()[0]
    print(f"{name} load={load} idle_cpu={idle:.1f}% flood_cpu={flood:.1f}% key_p50={p50:.1f}ms key_p99={p99:.1f}ms rss={rss:.0f}MiB "
          f"torn={torn_count}/{captures} size={width}x{height}")
    if profile:
        tmux("send-keys", "-t", "b", "C-c")  # quit normally so the program writes its profile
        end = time.monotonic() + 30
        while time.monotonic() < end and not (os.path.exists(profile) and os.path.getsize(profile) > 0):
            time.sleep(0.1)
        print(f"{name} in-process: " + (open(profile).read().strip() if os.path.exists(profile) else "no profile written"))
finally:
    subprocess.run(["tmux", "-L", sock, "-f", "/dev/null", "kill-server"], capture_output=True)
