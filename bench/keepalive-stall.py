"""Reproduces a keep-alive stall of Reactor Netty 1.3.6 (reactor/reactor-netty#4361, fixed by #4347 in
1.3.8): on a keep-alive connection, a request answered at once (a 400 or 401 before any database work)
that arrives while the previous, database-backed answer is still terminating is queued; once it is
answered, the server stops reading the connection, and the next request on it is never answered.

    python3 bench/keepalive-stall.py PORT CONNECTIONS REQUESTS_PER_CONNECTION SEQUENCE

against a service started with --catalog.api-tokens=tok --catalog.rate-limit.enabled=false, e.g.
    python3 bench/keepalive-stall.py 8080 8 100 badpost,create
prints the (previous, stalled) request pairs that got no answer within 2 s. Measured 2026-11-23 on
main at 4745f30 and at af0e869: about 20 of 400 requests stall with badpost,create, wrongget,create
and anondelete,unknownpost; none with any request repeated alone.
"""
import http.client, sys, time, threading
port=int(sys.argv[1]); conns=int(sys.argv[2]); per=int(sys.argv[3]); seq=sys.argv[4].split(',')
U="00000000-0000-0000-0000-000000000001"
R={'create':("POST","/api/v1/collections",'{"name":"x"}',{"Authorization":"Bearer tok","Content-Type":"application/json"}),
   'wrongget':("GET","/api/v1/collections/%s/shares"%U,None,{"Authorization":"Bearer wrong"}),
   'anondelete':("DELETE","/api/v1/collections/%s/shares/abc"%U,None,{}),
   'badpost':("POST","/api/v1/collections/not-a-uuid/shares",None,{"Authorization":"Bearer tok"}),
   'stats':("GET","/api/v1/stats",None,{"Accept":"application/json"}),
   'unknownpost':("POST","/api/v1/collections/%s/shares"%U,None,{"Authorization":"Bearer tok"})}
hangs={}
def worker(k):
    c=http.client.HTTPConnection("127.0.0.1",port,timeout=2)
    for i in range(per):
        name=seq[i%len(seq)]; m,p,b,h=R[name]
        try:
            c.request(m,p,body=b,headers=h); r=c.getresponse(); r.read()
        except TimeoutError:
            prev=seq[(i-1)%len(seq)]
            hangs[(prev,name)]=hangs.get((prev,name),0)+1; c.close(); c=http.client.HTTPConnection("127.0.0.1",port,timeout=2)
ts=[threading.Thread(target=worker,args=(k,)) for k in range(conns)]
[t.start() for t in ts]; [t.join() for t in ts]
print(sys.argv[4], "hangs", hangs)
