#!/usr/bin/env python3
"""A fixed one-way delay for the NAT lab without netem (scripts/netlab.sh delay): an NFQUEUE listener that holds every
packet iptables queues to it for DELAY ms, then accepts it. Run inside the namespace whose iptables queue the packets.

nfnetlink_queue over a raw netlink socket (no library): netlink message header | nfgenmsg | attributes, as in
linux/netfilter/nfnetlink_queue.h:
  config   type (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_CONFIG (2): NFQA_CFG_CMD {u8 cmd, u8 pad, be16 pf},
           NFQA_CFG_PARAMS {be32 copy_range, u8 copy_mode}, NFQA_CFG_QUEUE_MAXLEN be32, NFQA_CFG_MASK/FLAGS be32
  packet   type ... | NFQNL_MSG_PACKET (0): NFQA_PACKET_HDR {be32 packet_id, be16 hw_protocol, u8 hook}, NFQA_PAYLOAD
  verdict  type ... | NFQNL_MSG_VERDICT (1): NFQA_VERDICT_HDR {be32 verdict, be32 packet_id}
The delay is the same for every packet, so packets leave in the order they came (a FIFO). With --log, each IPv4 UDP
packet whose source and destination are both outside 11.0.0.0/24 (router to router: checks, probes, direct link
traffic) is logged as "MONOTONIC_SECONDS SRC:PORT DST:PORT IP_LENGTH" when it arrives, so a benchmark can see when checks start.
The queue fails open: when it is full, packets pass undelayed rather than being dropped.
"""
import argparse, collections, os, select, socket, struct, sys, time

NETLINK_NETFILTER = 12
NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET, NFQNL_MSG_VERDICT, NFQNL_MSG_CONFIG = 0, 1, 2
NFQA_CFG_CMD, NFQA_CFG_PARAMS, NFQA_CFG_QUEUE_MAXLEN, NFQA_CFG_MASK, NFQA_CFG_FLAGS = 1, 2, 3, 4, 5
NFQNL_CFG_CMD_BIND = 1
NFQNL_COPY_PACKET = 2
NFQA_CFG_F_FAIL_OPEN = 1
NFQA_PACKET_HDR, NFQA_VERDICT_HDR, NFQA_PAYLOAD = 1, 2, 10
NF_ACCEPT = 1
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2


def attr(kind, data):
    a = struct.pack("=HH", 4 + len(data), kind) + data
    return a + b"\0" * (-len(a) % 4)


def message(msg, queue, attrs, flags=NLM_F_REQUEST, seq=0):
    body = struct.pack("=BBH", socket.AF_UNSPEC, 0, socket.htons(queue)) + b"".join(attrs)
    return struct.pack("=IHHII", 16 + len(body), (NFNL_SUBSYS_QUEUE << 8) | msg, flags, seq, 0) + body


def attrs_of(data):
    found, i = {}, 0
    while i + 4 <= len(data):
        length, kind = struct.unpack_from("=HH", data, i)
        if length < 4:
            break
        found[kind & 0x7FFF] = data[i + 4:i + length]
        i += (length + 3) & ~3
    return found


def configure(sock, queue):
    for seq, attrs in enumerate([
        [attr(NFQA_CFG_CMD, struct.pack("!BBH", NFQNL_CFG_CMD_BIND, 0, 0))],
        [attr(NFQA_CFG_PARAMS, struct.pack("!IB", 128, NFQNL_COPY_PACKET))],
        [attr(NFQA_CFG_QUEUE_MAXLEN, struct.pack("!I", 8192))],
        [attr(NFQA_CFG_MASK, struct.pack("!I", NFQA_CFG_F_FAIL_OPEN)), attr(NFQA_CFG_FLAGS, struct.pack("!I", NFQA_CFG_F_FAIL_OPEN))],
    ], start=1):
        sock.send(message(NFQNL_MSG_CONFIG, queue, attrs, NLM_F_REQUEST | NLM_F_ACK, seq))
        reply = sock.recv(65536)
        length, kind = struct.unpack_from("=IH", reply, 0)
        if kind == NLMSG_ERROR:
            (error,) = struct.unpack_from("=i", reply, 16)
            if error != 0:
                raise OSError(-error, f"nfqueue config step {seq}: {os.strerror(-error)}")


def udp_between_routers(payload):
    if len(payload) < 28 or payload[0] >> 4 != 4 or payload[9] != 17:
        return None
    src, dst = socket.inet_ntoa(payload[12:16]), socket.inet_ntoa(payload[16:20])
    if src.startswith("11.0.0.") or dst.startswith("11.0.0."):
        return None
    ihl = (payload[0] & 0x0F) * 4
    sport, dport = struct.unpack_from("!HH", payload, ihl)
    (length,) = struct.unpack_from("!H", payload, 2)
    return f"{src}:{sport} {dst}:{dport} {length}"


def main():
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--queue", type=int, default=7)
    args.add_argument("--delay-ms", type=float, required=True)
    args.add_argument("--log", default=None)
    o = args.parse_args()
    delay = o.delay_ms / 1000
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    sock.bind((0, 0))
    configure(sock, o.queue)
    log = open(o.log, "a", buffering=1) if o.log else None
    held = collections.deque()
    print(f"ready queue {o.queue} delay {o.delay_ms} ms", flush=True)
    while True:
        timeout = max(0.0, held[0][0] - time.monotonic()) if held else None
        readable, _, _ = select.select([sock], [], [], timeout)
        now = time.monotonic()
        if readable:
            try:
                while True:
                    data = sock.recv(65536, socket.MSG_DONTWAIT)
                    i = 0
                    while i + 16 <= len(data):
                        length, kind = struct.unpack_from("=IH", data, i)
                        if length < 16:
                            break
                        if kind & 0xFF == NFQNL_MSG_PACKET:
                            a = attrs_of(data[i + 20:i + length])
                            (packet_id,) = struct.unpack_from("!I", a[NFQA_PACKET_HDR], 0)
                            held.append((now + delay, packet_id))
                            if log and (flow := udp_between_routers(a.get(NFQA_PAYLOAD, b""))):
                                log.write(f"{now:.6f} {flow}\n")
                        i += (length + 3) & ~3
            except BlockingIOError:
                pass
            except OSError as e:   # ENOBUFS: the kernel dropped queue messages for us; the packets time out of the queue
                print(f"netlab-delay: {e}", file=sys.stderr, flush=True)
        now = time.monotonic()
        while held and held[0][0] <= now:
            _, packet_id = held.popleft()
            sock.send(message(NFQNL_MSG_VERDICT, o.queue, [attr(NFQA_VERDICT_HDR, struct.pack("!II", NF_ACCEPT, packet_id))]))


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
