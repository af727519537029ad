#!/usr/bin/env python3
# Per-thread CPU and wake-ups of a running process, from /proc: where a TUI's idle time goes (docs/tui.md).
# Usage: tui_threads.py PID [SECONDS]. Prints one line per thread that used CPU or woke more than once a second:
# thread id, name, % of one core, voluntary context switches a second (wake-ups), then the total.
import os,sys,time
pid=sys.argv[1]; secs=float(sys.argv[2]) if len(sys.argv)>2 else 10
def snap():
    d={}
    for t in os.listdir(f"/proc/{pid}/task"):
        try:
            s=open(f"/proc/{pid}/task/{t}/stat").read()
            name=s[s.index('(')+1:s.rindex(')')]
            f=s.rsplit(')',1)[1].split()
            sw=open(f"/proc/{pid}/task/{t}/status").read()
            vol=int(sw.split("voluntary_ctxt_switches:")[1].split()[0])
            d[t]=(name,int(f[11])+int(f[12]),vol)
        except: pass
    return d
a=snap(); time.sleep(secs); b=snap()
tot=0
for t,(n,c,v) in sorted(b.items(), key=lambda x:-(x[1][1]-a.get(x[0],(0,0,0))[1])):
    dc=c-a.get(t,(n,0,0))[1]; dv=v-a.get(t,(n,0,0))[2]; tot+=dc
    if dc>0 or dv>10: print(t,n,f"{100*dc/os.sysconf('SC_CLK_TCK')/secs:.1f}%", f"wakeups/s={dv/secs:.0f}")
print("total", f"{100*tot/os.sysconf('SC_CLK_TCK')/secs:.1f}%")
