<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
    <context>
        <name>Canvas</name>
        <message>
            <source>node %1</source>
            <translation>노드 %1</translation>
        </message>
        <message>
            <source>1 stale endpoint</source>
            <translation>오래된 엔드포인트 1개</translation>
        </message>
        <message>
            <source>%1 stale endpoints</source>
            <translation>오래된 엔드포인트 %1개</translation>
        </message>
        <message>
            <source>1 new endpoint not programmed</source>
            <translation>아직 반영되지 않은 새 엔드포인트 1개</translation>
        </message>
        <message>
            <source>%1 new endpoints not programmed</source>
            <translation>아직 반영되지 않은 새 엔드포인트 %1개</translation>
        </message>
        <message>
            <source>kube-proxy: %1</source>
            <translation>kube-proxy 규칙: %1</translation>
        </message>
        <message>
            <source>%1 stale</source>
            <translation>%1개 오래됨</translation>
        </message>
        <message>
            <source>%1 new</source>
            <translation>%1개 새로 생김</translation>
        </message>
        <message>
            <source>still programmed</source>
            <translation>아직 규칙에 남음</translation>
        </message>
        <message>
            <source>not programmed yet</source>
            <translation>아직 규칙에 없음</translation>
        </message>
        <message>
            <source>(no zone)</source>
            <translation>(존 없음)</translation>
        </message>
        <message>
            <source>&lt;pending&gt;</source>
            <translation>&lt;대기 중&gt;</translation>
        </message>
        <message>
            <source>LB %1</source>
            <translation>LB %1</translation>
        </message>
        <message>
            <source>in %1</source>
            <translation>%1 안</translation>
        </message>
        <message>
            <source>→ %1 pods on %2 nodes</source>
            <translation>→ 노드 %2개의 파드 %1개</translation>
        </message>
        <message>
            <source>%1 · %2/%3 ready</source>
            <translation>%1 · %2/%3 준비됨</translation>
        </message>
        <message>
            <source>(no rules)</source>
            <translation>(규칙 없음)</translation>
        </message>
        <message>
            <source>class: %1</source>
            <translation>클래스: %1</translation>
        </message>
        <message>
            <source>default</source>
            <translation>기본값</translation>
        </message>
        <message>
            <source>(default)</source>
            <translation>(기본값)</translation>
        </message>
        <message>
            <source>Ready</source>
            <translation>Ready</translation>
        </message>
        <message>
            <source>not Ready</source>
            <translation>준비 안 됨</translation>
        </message>
        <message>
            <source>Pending</source>
            <translation>Pending</translation>
        </message>
        <message>
            <source>Terminating</source>
            <translation>Terminating</translation>
        </message>
        <message>
            <source>cluster</source>
            <translation>클러스터</translation>
        </message>
        <message>
            <source>zone %1</source>
            <translation>존 %1</translation>
        </message>
        <message>
            <source>podCIDR %1</source>
            <translation>podCIDR %1</translation>
        </message>
        <message>
            <source>client</source>
            <translation>클라이언트</translation>
        </message>
    </context>
    <context>
        <name>CaptionBar</name>
        <message>
            <source>Esc leaves projector mode</source>
            <translation>Esc: 프로젝터 모드 끝내기</translation>
        </message>
        <message>
            <source>{0} — step {1} of {2}</source>
            <translation>{0} — {1}/{2}단계</translation>
        </message>
    </context>
    <context>
        <name>ClusterScene</name>
        <message>
            <source>Drop a pod on a node to pin it there</source>
            <translation>파드를 노드 위에 놓으면 그 노드에 고정됩니다</translation>
        </message>
    </context>
    <context>
        <name>CompareWindow</name>
        <message>
            <source>as in the file</source>
            <translation>파일 그대로</translation>
        </message>
        <message>
            <source>realistic timings</source>
            <translation>실제 타이밍</translation>
        </message>
        <message>
            <source>classroom timings</source>
            <translation>수업용 타이밍</translation>
        </message>
        <message>
            <source>Compare two configurations</source>
            <translation>두 설정 비교</translation>
        </message>
        <message>
            <source>A (solid):</source>
            <translation>A (실선):</translation>
        </message>
        <message>
            <source>B (dashed):</source>
            <translation>B (점선):</translation>
        </message>
        <message>
            <source>Reset</source>
            <translation>처음으로</translation>
        </message>
        <message>
            <source>Pause</source>
            <translation>일시정지</translation>
        </message>
        <message>
            <source>Play</source>
            <translation>재생</translation>
        </message>
        <message>
            <source>Answered requests/s</source>
            <translation>초당 응답된 요청</translation>
        </message>
        <message>
            <source>Dropped requests/s</source>
            <translation>초당 드롭된 요청</translation>
        </message>
        <message>
            <source>Mean latency (ms, last 5 s)</source>
            <translation>평균 지연 시간 (ms, 최근 5초)</translation>
        </message>
        <message>
            <source>Fairness over the pods (Jain, last 5 s)</source>
            <translation>파드 간 공정성 (Jain, 최근 5초)</translation>
        </message>
        <message>
            <source>{0}: {1} answered, {2} dropped, mean latency {3} ms, fairness {4}</source>
            <translation>{0}: 응답 {1}, 드롭 {2}, 평균 지연 {3} ms, 공정성 {4}</translation>
        </message>
        <message>
            <source>t = {0} s</source>
            <translation>t = {0}초</translation>
        </message>
    </context>
    <context>
        <name>DropReason</name>
        <message>
            <source>refused: no endpoints</source>
            <translation>거부됨: 엔드포인트 없음</translation>
        </message>
        <message>
            <source>refused: no usable IPVS real server</source>
            <translation>거부됨: 쓸 수 있는 IPVS 리얼 서버 없음</translation>
        </message>
        <message>
            <source>timed out: sent to a dead pod</source>
            <translation>타임아웃: 죽은 파드로 보내짐</translation>
        </message>
        <message>
            <source>dropped: no local pod (policy Local)</source>
            <translation>버려짐: 이 노드에 파드 없음 (Local 정책)</translation>
        </message>
        <message>
            <source>reply discarded (no SNAT)</source>
            <translation>응답 버려짐 (SNAT 없음)</translation>
        </message>
        <message>
            <source>lost: the node is down</source>
            <translation>유실: 노드가 다운됨</translation>
        </message>
        <message>
            <source>lost: the client's node is down</source>
            <translation>유실: 클라이언트의 노드가 다운됨</translation>
        </message>
        <message>
            <source>no healthy node behind the load balancer</source>
            <translation>로드밸런서 뒤에 정상 노드 없음</translation>
        </message>
        <message>
            <source>no route from outside the cluster</source>
            <translation>클러스터 밖에서는 경로 없음</translation>
        </message>
        <message>
            <source>DNS name not found</source>
            <translation>DNS 이름을 찾을 수 없음</translation>
        </message>
        <message>
            <source>the Service has no such port</source>
            <translation>서비스에 그런 포트가 없음</translation>
        </message>
        <message>
            <source>static route: the pod is gone</source>
            <translation>정적 라우팅: 파드가 사라짐</translation>
        </message>
        <message>
            <source>no Ingress controller running</source>
            <translation>실행 중인 인그레스 콘트롤러 없음</translation>
        </message>
        <message>
            <source>HTTP 404: no Ingress rule matched</source>
            <translation>HTTP 404: 맞는 인그레스 규칙 없음</translation>
        </message>
        <message>
            <source>blocked: source outside the allowed ranges</source>
            <translation>차단됨: 허용 범위 밖의 출발지</translation>
        </message>
    </context>
    <context>
        <name>EventsPanel</name>
        <message>
            <source>DNS answer</source>
            <translation>DNS 응답</translation>
        </message>
        <message>
            <source>conntrack hit</source>
            <translation>conntrack 일치</translation>
        </message>
        <message>
            <source>DNAT</source>
            <translation>DNAT</translation>
        </message>
        <message>
            <source>SNAT / masquerade</source>
            <translation>SNAT / 마스커레이드</translation>
        </message>
        <message>
            <source>proxied (ingress)</source>
            <translation>프록시됨 (인그레스)</translation>
        </message>
        <message>
            <source>drop</source>
            <translation>드롭</translation>
        </message>
        <message>
            <source>delivered</source>
            <translation>전달됨</translation>
        </message>
        <message>
            <source>control plane</source>
            <translation>컨트롤 플레인</translation>
        </message>
        <message>
            <source>DNS answer {0} → {1}</source>
            <translation>DNS 응답 {0} → {1}</translation>
        </message>
        <message>
            <source>DNAT {0} → {1}</source>
            <translation>DNAT {0} → {1}</translation>
        </message>
        <message>
            <source>SNAT / masquerade {0} → {1}</source>
            <translation>SNAT / 마스커레이드 {0} → {1}</translation>
        </message>
        <message>
            <source>dropped: {0}</source>
            <translation>드롭: {0}</translation>
        </message>
        <message>
            <source>the ingress controller opens {0} → {1}</source>
            <translation>인그레스 콘트롤러가 {0} → {1} 연결을 엶</translation>
        </message>
        <message>
            <source>delivered ({0} ms)</source>
            <translation>전달됨 ({0} ms)</translation>
        </message>
        <message>
            <source>All types</source>
            <translation>모든 종류</translation>
        </message>
        <message>
            <source>Filter by text (object, address, reason)</source>
            <translation>텍스트로 거르기 (객체, 주소, 원인)</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>시간</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>종류</translation>
        </message>
        <message>
            <source>Where</source>
            <translation>위치</translation>
        </message>
        <message>
            <source>What</source>
            <translation>내용</translation>
        </message>
    </context>
    <context>
        <name>HistoryPanel</name>
        <message>
            <source>&lt;opened&gt;</source>
            <translation>&lt;열림&gt;</translation>
        </message>
    </context>
    <context>
        <name>Inspector</name>
        <message>
            <source>Nothing selected</source>
            <translation>선택된 것 없음</translation>
        </message>
        <message>
            <source>Fields</source>
            <translation>필드</translation>
        </message>
        <message>
            <source>Apply YAML</source>
            <translation>YAML 적용</translation>
        </message>
        <message>
            <source>Replace the object with this YAML (one undo step)</source>
            <translation>이 YAML로 객체를 바꿉니다 (실행 취소 한 단계)</translation>
        </message>
        <message>
            <source>YAML</source>
            <translation>YAML</translation>
        </message>
        <message>
            <source>(default)</source>
            <translation>(기본값)</translation>
        </message>
        <message>
            <source>allocated: %1</source>
            <translation>할당됨: %1</translation>
        </message>
        <message>
            <source>Refused: %1</source>
            <translation>거부됨: %1</translation>
        </message>
        <message>
            <source>The YAML must be one mapping (a Kubernetes object)</source>
            <translation>YAML은 매핑 하나(쿠버네티스 객체)여야 합니다</translation>
        </message>
    </context>
    <context>
        <name>Kinds</name>
        <message>
            <source>Node</source>
            <translation>노드</translation>
        </message>
        <message>
            <source>A worker machine with its own IP and pod CIDR</source>
            <translation>자기 IP와 파드 CIDR을 가진 워커 머신</translation>
        </message>
        <message>
            <source>Deployment</source>
            <translation>디플로이먼트</translation>
        </message>
        <message>
            <source>Stateless replicas of a pod template</source>
            <translation>파드 템플릿의 상태 없는 복제본</translation>
        </message>
        <message>
            <source>StatefulSet</source>
            <translation>스테이트풀셋</translation>
        </message>
        <message>
            <source>Replicas with stable names (name-0, name-1, …)</source>
            <translation>이름이 고정된 복제본 (name-0, name-1, …)</translation>
        </message>
        <message>
            <source>DaemonSet</source>
            <translation>데몬셋</translation>
        </message>
        <message>
            <source>One pod on every node</source>
            <translation>모든 노드에 파드 하나씩</translation>
        </message>
        <message>
            <source>Pod</source>
            <translation>파드</translation>
        </message>
        <message>
            <source>A single pod; drop it on a node to pin it there</source>
            <translation>단일 파드: 노드 위에 놓으면 그 노드에 고정됩니다</translation>
        </message>
        <message>
            <source>Service (ClusterIP)</source>
            <translation>서비스 (ClusterIP)</translation>
        </message>
        <message>
            <source>A virtual IP inside the cluster; drag it onto a workload to select its pods</source>
            <translation>클러스터 안의 가상 IP: 워크로드 위로 끌면 그 파드를 선택합니다</translation>
        </message>
        <message>
            <source>Service (NodePort)</source>
            <translation>서비스 (NodePort)</translation>
        </message>
        <message>
            <source>Reachable on a port (30000–32767) of every node</source>
            <translation>모든 노드의 포트(30000~32767)로 접속 가능</translation>
        </message>
        <message>
            <source>Service (LoadBalancer)</source>
            <translation>서비스 (LoadBalancer)</translation>
        </message>
        <message>
            <source>An external load balancer in front of the node ports</source>
            <translation>노드 포트 앞 단의 외부 로드밸런서</translation>
        </message>
        <message>
            <source>Service (headless)</source>
            <translation>서비스 (헤드리스)</translation>
        </message>
        <message>
            <source>No virtual IP: DNS answers with the pod IPs</source>
            <translation>가상 IP 없음: DNS가 파드 IP로 응답</translation>
        </message>
        <message>
            <source>Service (ExternalName)</source>
            <translation>서비스 (ExternalName)</translation>
        </message>
        <message>
            <source>A DNS alias (CNAME) for a name outside the cluster</source>
            <translation>클러스터 밖 이름에 대한 DNS 별칭(CNAME)</translation>
        </message>
        <message>
            <source>Ingress</source>
            <translation>인그레스</translation>
        </message>
        <message>
            <source>HTTP host and path rules; drag it onto a Service to add a rule</source>
            <translation>HTTP 호스트·경로 규칙: 서비스 위로 끌면 규칙이 추가됩니다</translation>
        </message>
        <message>
            <source>Ingress controller</source>
            <translation>인그레스 콘트롤러</translation>
        </message>
        <message>
            <source>ingress-nginx: a Deployment, its LoadBalancer Service and an IngressClass</source>
            <translation>ingress-nginx: 디플로이먼트, 그 LoadBalancer 서비스, IngressClass</translation>
        </message>
        <message>
            <source>Client</source>
            <translation>클라이언트</translation>
        </message>
        <message>
            <source>Sends requests; drag it onto a Service, Ingress, node or load balancer</source>
            <translation>요청을 보냅니다: 서비스, 인그레스, 노드 또는 로드밸런서 위로 끄세요</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>이름</translation>
        </message>
        <message>
            <source>Namespace</source>
            <translation>네임스페이스</translation>
        </message>
        <message>
            <source>Labels</source>
            <translation>레이블</translation>
        </message>
        <message>
            <source>Image</source>
            <translation>이미지</translation>
        </message>
        <message>
            <source>Container port</source>
            <translation>컨테이너 포트</translation>
        </message>
        <message>
            <source>Zone</source>
            <translation>존</translation>
        </message>
        <message>
            <source>Unschedulable (cordoned)</source>
            <translation>스케줄 불가 (cordon)</translation>
        </message>
        <message>
            <source>Pod CIDR</source>
            <translation>파드 CIDR</translation>
        </message>
        <message>
            <source>CPU capacity</source>
            <translation>CPU 용량</translation>
        </message>
        <message>
            <source>Memory capacity</source>
            <translation>메모리 용량</translation>
        </message>
        <message>
            <source>Replicas</source>
            <translation>복제본 수</translation>
        </message>
        <message>
            <source>Selector</source>
            <translation>셀렉터</translation>
        </message>
        <message>
            <source>Pod labels</source>
            <translation>파드 레이블</translation>
        </message>
        <message>
            <source>Service name</source>
            <translation>서비스 이름</translation>
        </message>
        <message>
            <source>Node (pinned)</source>
            <translation>노드 (고정)</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>종류</translation>
        </message>
        <message>
            <source>Cluster IP</source>
            <translation>클러스터 IP</translation>
        </message>
        <message>
            <source>Port</source>
            <translation>포트</translation>
        </message>
        <message>
            <source>Target port</source>
            <translation>대상 포트</translation>
        </message>
        <message>
            <source>Node port</source>
            <translation>노드 포트</translation>
        </message>
        <message>
            <source>External traffic policy</source>
            <translation>외부 트래픽 정책</translation>
        </message>
        <message>
            <source>Session affinity</source>
            <translation>세션 어피니티</translation>
        </message>
        <message>
            <source>External name</source>
            <translation>외부 이름</translation>
        </message>
        <message>
            <source>Ingress class</source>
            <translation>인그레스 클래스</translation>
        </message>
        <message>
            <source>Controller</source>
            <translation>콘트롤러</translation>
        </message>
        <message>
            <source>Location</source>
            <translation>위치</translation>
        </message>
        <message>
            <source>IP</source>
            <translation>IP</translation>
        </message>
        <message>
            <source>Node (internal)</source>
            <translation>노드 (내부)</translation>
        </message>
        <message>
            <source>Target</source>
            <translation>대상</translation>
        </message>
        <message>
            <source>Rate (requests/s)</source>
            <translation>속도 (초당 요청)</translation>
        </message>
        <message>
            <source>Connection</source>
            <translation>연결</translation>
        </message>
        <message>
            <source>Requests per connection</source>
            <translation>연결당 요청 수</translation>
        </message>
    </context>
    <context>
        <name>LegendOverlay</name>
        <message>
            <source>Packets by destination pod:</source>
            <translation>도착 파드별 패킷:</translation>
        </message>
        <message>
            <source>node / pod Ready</source>
            <translation>노드 / 파드 Ready</translation>
        </message>
        <message>
            <source>dropped (hover: why)</source>
            <translation>드롭됨 (마우스를 올리면 원인)</translation>
        </message>
        <message>
            <source>address rewritten here</source>
            <translation>여기서 주소가 바뀜</translation>
        </message>
        <message>
            <source>NotReady / not Ready</source>
            <translation>NotReady / 준비 안 됨</translation>
        </message>
        <message>
            <source>node cordoned</source>
            <translation>노드 cordon</translation>
        </message>
        <message>
            <source>Pending / ContainerCreating</source>
            <translation>Pending / ContainerCreating</translation>
        </message>
        <message>
            <source>pod Terminating</source>
            <translation>파드 Terminating</translation>
        </message>
        <message>
            <source>… and {0} more pods</source>
            <translation>… 외 파드 {0}개</translation>
        </message>
    </context>
    <context>
        <name>LessonPanel</name>
        <message>
            <source>◀ Previous step</source>
            <translation>◀ 이전 단계</translation>
        </message>
        <message>
            <source>Back to the beginning of the previous step (← or Page Up)</source>
            <translation>이전 단계의 처음으로 (← 또는 Page Up)</translation>
        </message>
        <message>
            <source>No lesson open</source>
            <translation>열린 레슨 없음</translation>
        </message>
        <message>
            <source>Open one from the Lessons menu.</source>
            <translation>레슨 메뉴에서 여세요.</translation>
        </message>
        <message>
            <source>Next step ▶</source>
            <translation>다음 단계 ▶</translation>
        </message>
        <message>
            <source>Step {0} of {1}</source>
            <translation>{1}단계 중 {0}단계</translation>
        </message>
        <message>
            <source>Predict: {0}</source>
            <translation>예측: {0}</translation>
        </message>
        <message>
            <source>Answer: {0}</source>
            <translation>정답: {0}</translation>
        </message>
        <message>
            <source>Reveal ▶</source>
            <translation>정답 보기 ▶</translation>
        </message>
        <message>
            <source>Play the moment and show the answer (→ or Page Down)</source>
            <translation>그 순간을 재생하고 정답을 보여 줍니다 (→ 또는 Page Down)</translation>
        </message>
        <message>
            <source>Skip ahead ▶▶</source>
            <translation>건너뛰기 ▶▶</translation>
        </message>
        <message>
            <source>Jump to the end of this step</source>
            <translation>이 단계의 끝으로 이동</translation>
        </message>
        <message>
            <source>End of the lesson</source>
            <translation>레슨 끝</translation>
        </message>
        <message>
            <source>Go on to the next step (→ or Page Down)</source>
            <translation>다음 단계로 (→ 또는 Page Down)</translation>
        </message>
    </context>
    <context>
        <name>LessonTable</name>
        <message>
            <source>Show it: lesson {0}, step {1}</source>
            <translation>보기: 레슨 {0}, {1}단계</translation>
        </message>
    </context>
    <context>
        <name>Lessons</name>
        <message>
            <source>Lesson</source>
            <translation>레슨</translation>
        </message>
        <message>
            <source>Comparison table</source>
            <translation>비교표</translation>
        </message>
        <message>
            <source>Open lesson file…</source>
            <translation>레슨 파일 열기…</translation>
        </message>
        <message>
            <source>Next step / reveal</source>
            <translation>다음 단계 / 정답 보기</translation>
        </message>
        <message>
            <source>Previous step</source>
            <translation>이전 단계</translation>
        </message>
        <message>
            <source>Projector mode</source>
            <translation>프로젝터 모드</translation>
        </message>
        <message>
            <source>Compare two configurations…</source>
            <translation>두 설정 비교…</translation>
        </message>
        <message>
            <source>Stop recording and save the lesson…</source>
            <translation>녹화 멈추고 레슨 저장…</translation>
        </message>
        <message>
            <source>Record a lesson</source>
            <translation>레슨 녹화</translation>
        </message>
        <message>
            <source>Add a step here…</source>
            <translation>여기에 단계 추가…</translation>
        </message>
        <message>
            <source>Add a predict pause here…</source>
            <translation>여기에 예측 질문 추가…</translation>
        </message>
        <message>
            <source>E&amp;xport as</source>
            <translation>내보내기(&amp;X)</translation>
        </message>
        <message>
            <source>Canvas as PNG or SVG…</source>
            <translation>캔버스를 PNG 또는 SVG로…</translation>
        </message>
        <message>
            <source>Charts as PNG…</source>
            <translation>차트를 PNG로…</translation>
        </message>
        <message>
            <source>Metrics as CSV…</source>
            <translation>지표를 CSV로…</translation>
        </message>
        <message>
            <source>Event log as CSV…</source>
            <translation>이벤트 로그를 CSV로…</translation>
        </message>
        <message>
            <source>Kubernetes manifests…</source>
            <translation>쿠버네티스 매니페스트…</translation>
        </message>
        <message>
            <source>Lesson as a folder…</source>
            <translation>레슨을 폴더로…</translation>
        </message>
        <message>
            <source>Open lesson</source>
            <translation>레슨 열기</translation>
        </message>
        <message>
            <source>Lessons (*.yaml *.yml)</source>
            <translation>레슨 (*.yaml *.yml)</translation>
        </message>
        <message>
            <source>This lesson cannot be played:
{0}</source>
            <translation>이 레슨은 재생할 수 없습니다:
{0}</translation>
        </message>
        <message>
            <source>No lesson named {0}</source>
            <translation>{0}(이)라는 레슨이 없습니다</translation>
        </message>
        <message>
            <source>The scenario has errors: fix them first (Problems).</source>
            <translation>시나리오에 오류가 있습니다: 먼저 고치세요 (문제 패널).</translation>
        </message>
        <message>
            <source>Name (letters, digits, -)</source>
            <translation>이름 (영문자, 숫자, -)</translation>
        </message>
        <message>
            <source>Title (Korean)</source>
            <translation>제목 (한국어)</translation>
        </message>
        <message>
            <source>Title (English)</source>
            <translation>제목 (영어)</translation>
        </message>
        <message>
            <source>Recording: play, act, and add steps</source>
            <translation>녹화 중: 재생하고, 동작하고, 단계를 추가하세요</translation>
        </message>
        <message>
            <source>Save the recorded lesson</source>
            <translation>녹화한 레슨 저장</translation>
        </message>
        <message>
            <source>Step at t = {0} s</source>
            <translation>t = {0}초의 단계</translation>
        </message>
        <message>
            <source>Caption (Korean)</source>
            <translation>자막 (한국어)</translation>
        </message>
        <message>
            <source>Caption (English)</source>
            <translation>자막 (영어)</translation>
        </message>
        <message>
            <source>Predict pause answered at t = {0} s</source>
            <translation>t = {0}초에 정답이 보이는 예측 질문</translation>
        </message>
        <message>
            <source>Question (Korean)</source>
            <translation>질문 (한국어)</translation>
        </message>
        <message>
            <source>Question (English)</source>
            <translation>질문 (영어)</translation>
        </message>
        <message>
            <source>Answer (Korean)</source>
            <translation>정답 (한국어)</translation>
        </message>
        <message>
            <source>Answer (English)</source>
            <translation>정답 (영어)</translation>
        </message>
        <message>
            <source>{0} written to {1}</source>
            <translation>{0}을(를) {1}에 저장했습니다</translation>
        </message>
        <message>
            <source>Not exported</source>
            <translation>내보내지 않음</translation>
        </message>
        <message>
            <source>Export canvas</source>
            <translation>캔버스 내보내기</translation>
        </message>
        <message>
            <source>PNG image (*.png);;SVG drawing (*.svg)</source>
            <translation>PNG 이미지 (*.png);;SVG 그림 (*.svg)</translation>
        </message>
        <message>
            <source>Canvas</source>
            <translation>캔버스</translation>
        </message>
        <message>
            <source>No charts to export: the live view is not running.</source>
            <translation>내보낼 차트가 없습니다: 라이브 뷰가 실행 중이 아닙니다.</translation>
        </message>
        <message>
            <source>Export charts</source>
            <translation>차트 내보내기</translation>
        </message>
        <message>
            <source>PNG image (*.png)</source>
            <translation>PNG 이미지 (*.png)</translation>
        </message>
        <message>
            <source>Charts</source>
            <translation>차트</translation>
        </message>
        <message>
            <source>The scenario has errors: nothing ran.</source>
            <translation>시나리오에 오류가 있어 아무것도 실행되지 않았습니다.</translation>
        </message>
        <message>
            <source>Export metrics</source>
            <translation>지표 내보내기</translation>
        </message>
        <message>
            <source>CSV (*.csv)</source>
            <translation>CSV (*.csv)</translation>
        </message>
        <message>
            <source>Metrics</source>
            <translation>지표</translation>
        </message>
        <message>
            <source>Nothing has run yet: play the scenario first.</source>
            <translation>아직 실행된 것이 없습니다: 먼저 시나리오를 재생하세요.</translation>
        </message>
        <message>
            <source>Export event log</source>
            <translation>이벤트 로그 내보내기</translation>
        </message>
        <message>
            <source>Event log</source>
            <translation>이벤트 로그</translation>
        </message>
        <message>
            <source>Export Kubernetes manifests</source>
            <translation>쿠버네티스 매니페스트 내보내기</translation>
        </message>
        <message>
            <source>YAML (*.yaml *.yml)</source>
            <translation>YAML (*.yaml *.yml)</translation>
        </message>
        <message>
            <source>Manifests</source>
            <translation>매니페스트</translation>
        </message>
        <message>
            <source>Export lesson into folder</source>
            <translation>레슨을 폴더로 내보내기</translation>
        </message>
        <message>
            <source>t = {0} s</source>
            <translation>t = {0}초</translation>
        </message>
    </context>
    <context>
        <name>LiveControls</name>
        <message>
            <source>Simulation</source>
            <translation>시뮬레이션</translation>
        </message>
        <message>
            <source>&amp;Play</source>
            <translation>재생(&amp;P)</translation>
        </message>
        <message>
            <source>Play / pause the simulation</source>
            <translation>시뮬레이션 재생 / 일시정지</translation>
        </message>
        <message>
            <source>&amp;Step</source>
            <translation>한 단계(&amp;S)</translation>
        </message>
        <message>
            <source>One tick (step-by-step: one event)</source>
            <translation>한 틱 (단계별 모드: 이벤트 하나)</translation>
        </message>
        <message>
            <source>Step &amp;back</source>
            <translation>한 단계 뒤로(&amp;B)</translation>
        </message>
        <message>
            <source>Back one tick (step-by-step: one event)</source>
            <translation>한 틱 뒤로 (단계별: 이벤트 하나)</translation>
        </message>
        <message>
            <source>&amp;Reset</source>
            <translation>처음으로(&amp;R)</translation>
        </message>
        <message>
            <source>Back to t = 0 without the live actions</source>
            <translation>라이브 동작 없이 t = 0으로</translation>
        </message>
        <message>
            <source>Save as &amp;timeline</source>
            <translation>타임라인으로 저장(&amp;T)</translation>
        </message>
        <message>
            <source>Write the live actions into the scenario as a Timeline</source>
            <translation>라이브 동작을 시나리오의 Timeline으로 기록</translation>
        </message>
        <message>
            <source>Simulation speed</source>
            <translation>시뮬레이션 속도</translation>
        </message>
        <message>
            <source>Realtime</source>
            <translation>실시간</translation>
        </message>
        <message>
            <source>Step by step</source>
            <translation>단계별</translation>
        </message>
        <message>
            <source>Realtime: traffic flows; step by step: one packet event at a time</source>
            <translation>실시간: 트래픽이 계속 흐름; 단계별: 패킷 이벤트 하나씩</translation>
        </message>
        <message>
            <source>Drag to go to any simulated time</source>
            <translation>끌어서 원하는 시뮬레이션 시간으로 이동</translation>
        </message>
        <message>
            <source>Live actions</source>
            <translation>라이브 동작</translation>
        </message>
        <message>
            <source>kube-proxy:</source>
            <translation>kube-proxy:</translation>
        </message>
        <message>
            <source>IPVS:</source>
            <translation>IPVS:</translation>
        </message>
        <message>
            <source>Scheduler:</source>
            <translation>스케줄러:</translation>
        </message>
        <message>
            <source>Timing:</source>
            <translation>타이밍:</translation>
        </message>
        <message>
            <source>&amp;Pause</source>
            <translation>일시정지(&amp;P)</translation>
        </message>
        <message>
            <source>mode {0}</source>
            <translation>모드 {0}</translation>
        </message>
        <message>
            <source>IPVS {0}</source>
            <translation>IPVS {0}</translation>
        </message>
        <message>
            <source>Fail node {0}</source>
            <translation>노드 {0} 장애 발생</translation>
        </message>
        <message>
            <source>Recover node {0}</source>
            <translation>노드 {0} 복구</translation>
        </message>
        <message>
            <source>Uncordon {0}</source>
            <translation>{0} uncordon (스케줄 허용)</translation>
        </message>
        <message>
            <source>Cordon {0}</source>
            <translation>{0} cordon (스케줄 금지)</translation>
        </message>
        <message>
            <source>Drain {0}</source>
            <translation>{0} drain (파드 비우기)</translation>
        </message>
        <message>
            <source>Delete pod {0}</source>
            <translation>파드 {0} 삭제</translation>
        </message>
        <message>
            <source>Show placement scores</source>
            <translation>배치 점수 보기</translation>
        </message>
        <message>
            <source>Set replicas of {0}…</source>
            <translation>{0}의 복제본 수 설정…</translation>
        </message>
        <message>
            <source>Make it type {0}</source>
            <translation>타입을 {0}(으)로 바꾸기</translation>
        </message>
        <message>
            <source>{0}: {1}</source>
            <translation>{0}: {1}</translation>
        </message>
        <message>
            <source>Set {0} to {1}</source>
            <translation>{0}을(를) {1}(으)로 설정</translation>
        </message>
    </context>
    <context>
        <name>LiveView</name>
        <message>
            <source>Packet trace</source>
            <translation>패킷 추적</translation>
        </message>
        <message>
            <source>Events</source>
            <translation>이벤트</translation>
        </message>
        <message>
            <source>Rules</source>
            <translation>규칙</translation>
        </message>
        <message>
            <source>Placement</source>
            <translation>배치</translation>
        </message>
        <message>
            <source>Charts</source>
            <translation>차트</translation>
        </message>
        <message>
            <source>The scenario has errors: fix them to run it (Problems).</source>
            <translation>시나리오에 오류가 있습니다: 고쳐야 실행됩니다 (문제 패널).</translation>
        </message>
        <message>
            <source>The edit was applied from t = 0 and the run replayed to now with the same live actions.</source>
            <translation>편집을 t = 0부터 적용하고, 같은 라이브 동작으로 지금까지 다시 실행했습니다.</translation>
        </message>
        <message>
            <source>down · NotReady in {0} s</source>
            <translation>다운 · {0}초 뒤 NotReady</translation>
        </message>
        <message>
            <source>NotReady · evicting in {0} s</source>
            <translation>NotReady · {0}초 뒤 축출</translation>
        </message>
        <message>
            <source>NotReady · pods evicted</source>
            <translation>NotReady · 파드 축출됨</translation>
        </message>
        <message>
            <source>cordoned</source>
            <translation>cordon됨</translation>
        </message>
        <message>
            <source>No rules to show: {0}</source>
            <translation>보여 줄 규칙 없음: {0}</translation>
        </message>
        <message>
            <source>Action refused</source>
            <translation>동작 거부됨</translation>
        </message>
        <message>
            <source>t = {0} s: {1} {2} {3}</source>
            <translation>t = {0}초: {1} {2} {3}</translation>
        </message>
        <message>
            <source>Set replicas</source>
            <translation>복제본 수 설정</translation>
        </message>
        <message>
            <source>Replicas of {0}:</source>
            <translation>{0}의 복제본 수:</translation>
        </message>
        <message>
            <source>Save as timeline</source>
            <translation>타임라인으로 저장</translation>
        </message>
        <message>
            <source>No live actions yet: fail a node or switch a mode first.</source>
            <translation>아직 라이브 동작이 없습니다: 먼저 노드 장애를 내거나 모드를 바꾸세요.</translation>
        </message>
        <message>
            <source>No new live actions since the last Save as timeline.</source>
            <translation>마지막으로 타임라인으로 저장한 뒤 새 라이브 동작이 없습니다.</translation>
        </message>
        <message>
            <source>Save live actions as timeline</source>
            <translation>라이브 동작을 타임라인으로 저장</translation>
        </message>
        <message>
            <source>Timeline {0} added with {1} events; save the file to keep it.</source>
            <translation>이벤트 {1}개로 타임라인 {0}을(를) 추가했습니다. 유지하려면 파일을 저장하세요.</translation>
        </message>
        <message>
            <source>DNAT → {0}</source>
            <translation>DNAT → {0}</translation>
        </message>
        <message>
            <source>SNAT → {0}</source>
            <translation>SNAT → {0}</translation>
        </message>
        <message>
            <source>nginx → {0}</source>
            <translation>nginx → {0}</translation>
        </message>
        <message>
            <source>Dropped at {0}: {1}</source>
            <translation>{0}에서 드롭: {1}</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>&amp;File</source>
            <translation>파일(&amp;F)</translation>
        </message>
        <message>
            <source>&amp;Edit</source>
            <translation>편집(&amp;E)</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>보기(&amp;V)</translation>
        </message>
        <message>
            <source>&amp;Simulation</source>
            <translation>시뮬레이션(&amp;S)</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>도움말(&amp;H)</translation>
        </message>
        <message>
            <source>&amp;Lessons</source>
            <translation>레슨(&amp;L)</translation>
        </message>
        <message>
            <source>&amp;Panels</source>
            <translation>패널(&amp;P)</translation>
        </message>
        <message>
            <source>Created by the simulation: edit its workload instead</source>
            <translation>시뮬레이션이 만든 객체입니다: 대신 그 워크로드를 편집하세요</translation>
        </message>
        <message>
            <source>%n objects selected</source>
            <translation>객체 %n개 선택됨</translation>
        </message>
        <message>
            <source>Palette</source>
            <translation>팔레트</translation>
        </message>
        <message>
            <source>Inspector</source>
            <translation>인스펙터</translation>
        </message>
        <message>
            <source>History</source>
            <translation>기록</translation>
        </message>
        <message>
            <source>Problems</source>
            <translation>문제</translation>
        </message>
        <message>
            <source>&amp;New</source>
            <translation>새로 만들기(&amp;N)</translation>
        </message>
        <message>
            <source>Start an empty scenario</source>
            <translation>빈 시나리오 시작</translation>
        </message>
        <message>
            <source>&amp;Open…</source>
            <translation>열기(&amp;O)…</translation>
        </message>
        <message>
            <source>Open a scenario or manifest file</source>
            <translation>시나리오 또는 매니페스트 파일 열기</translation>
        </message>
        <message>
            <source>Open &amp;Recent</source>
            <translation>최근 파일(&amp;R)</translation>
        </message>
        <message>
            <source>&amp;Save</source>
            <translation>저장(&amp;S)</translation>
        </message>
        <message>
            <source>Save the scenario to its file</source>
            <translation>시나리오를 그 파일에 저장</translation>
        </message>
        <message>
            <source>Save &amp;As…</source>
            <translation>다른 이름으로 저장(&amp;A)…</translation>
        </message>
        <message>
            <source>Save the scenario to a new file</source>
            <translation>시나리오를 새 파일에 저장</translation>
        </message>
        <message>
            <source>Re&amp;vert</source>
            <translation>되돌리기(&amp;V)</translation>
        </message>
        <message>
            <source>Discard every change since the last save</source>
            <translation>마지막 저장 이후의 모든 변경 버리기</translation>
        </message>
        <message>
            <source>&amp;Import Manifests…</source>
            <translation>매니페스트 가져오기(&amp;I)…</translation>
        </message>
        <message>
            <source>Add the objects of manifest files to this scenario</source>
            <translation>매니페스트 파일의 객체를 이 시나리오에 추가</translation>
        </message>
        <message>
            <source>&amp;Export Manifests…</source>
            <translation>매니페스트 내보내기(&amp;E)…</translation>
        </message>
        <message>
            <source>Write the Kubernetes objects as kubectl apply accepts them (what podpath export writes)</source>
            <translation>kubectl apply가 받는 형태로 쿠버네티스 객체를 씁니다 (podpath export와 같음)</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>끝내기(&amp;Q)</translation>
        </message>
        <message>
            <source>Close PodPath</source>
            <translation>PodPath 닫기</translation>
        </message>
        <message>
            <source>&amp;Undo</source>
            <translation>실행 취소(&amp;U)</translation>
        </message>
        <message>
            <source>&amp;Redo</source>
            <translation>다시 실행(&amp;R)</translation>
        </message>
        <message>
            <source>Undo the last change</source>
            <translation>마지막 변경 취소</translation>
        </message>
        <message>
            <source>Redo the change undone last</source>
            <translation>마지막으로 취소한 변경 다시 실행</translation>
        </message>
        <message>
            <source>Cu&amp;t</source>
            <translation>잘라내기(&amp;T)</translation>
        </message>
        <message>
            <source>PodPath</source>
            <translation>PodPath</translation>
        </message>
        <message>
            <source>Copy the selection as Kubernetes YAML and delete it</source>
            <translation>선택한 것을 쿠버네티스 YAML로 복사하고 삭제</translation>
        </message>
        <message>
            <source>&amp;Copy</source>
            <translation>복사(&amp;C)</translation>
        </message>
        <message>
            <source>Copy the selection as Kubernetes YAML</source>
            <translation>선택한 것을 쿠버네티스 YAML로 복사</translation>
        </message>
        <message>
            <source>&amp;Paste</source>
            <translation>붙여넣기(&amp;P)</translation>
        </message>
        <message>
            <source>Add the Kubernetes objects on the clipboard</source>
            <translation>클립보드의 쿠버네티스 객체 추가</translation>
        </message>
        <message>
            <source>Dup&amp;licate</source>
            <translation>복제(&amp;L)</translation>
        </message>
        <message>
            <source>Copy the selection under new names</source>
            <translation>선택한 것을 새 이름으로 복제</translation>
        </message>
        <message>
            <source>&amp;Delete</source>
            <translation>삭제(&amp;D)</translation>
        </message>
        <message>
            <source>Delete the selection</source>
            <translation>선택한 것 삭제</translation>
        </message>
        <message>
            <source>Re&amp;name</source>
            <translation>이름 바꾸기(&amp;N)</translation>
        </message>
        <message>
            <source>Rename the selected object in place</source>
            <translation>선택한 객체의 이름을 그 자리에서 바꾸기</translation>
        </message>
        <message>
            <source>Select &amp;All</source>
            <translation>모두 선택(&amp;A)</translation>
        </message>
        <message>
            <source>Select every object on the canvas</source>
            <translation>캔버스의 모든 객체 선택</translation>
        </message>
        <message>
            <source>Zoom &amp;In</source>
            <translation>확대(&amp;I)</translation>
        </message>
        <message>
            <source>Magnify the canvas</source>
            <translation>캔버스 확대</translation>
        </message>
        <message>
            <source>Zoom &amp;Out</source>
            <translation>축소(&amp;O)</translation>
        </message>
        <message>
            <source>Shrink the canvas</source>
            <translation>캔버스 축소</translation>
        </message>
        <message>
            <source>&amp;Actual Size</source>
            <translation>실제 크기(&amp;A)</translation>
        </message>
        <message>
            <source>Show the canvas at 100 %</source>
            <translation>캔버스를 100 %로 보기</translation>
        </message>
        <message>
            <source>&amp;Fit to Window</source>
            <translation>창에 맞추기(&amp;F)</translation>
        </message>
        <message>
            <source>Show the whole cluster</source>
            <translation>클러스터 전체 보기</translation>
        </message>
        <message>
            <source>&amp;About PodPath</source>
            <translation>PodPath 정보(&amp;A)</translation>
        </message>
        <message>
            <source>What PodPath is</source>
            <translation>PodPath 소개</translation>
        </message>
        <message>
            <source>File</source>
            <translation>파일</translation>
        </message>
        <message>
            <source>Edit</source>
            <translation>편집</translation>
        </message>
        <message>
            <source>View</source>
            <translation>보기</translation>
        </message>
        <message>
            <source>Undo</source>
            <translation>실행 취소</translation>
        </message>
        <message>
            <source>Redo</source>
            <translation>다시 실행</translation>
        </message>
        <message>
            <source>Undo %1</source>
            <translation>실행 취소: %1</translation>
        </message>
        <message>
            <source>Redo %1</source>
            <translation>다시 실행: %1</translation>
        </message>
        <message>
            <source>%1[*] — PodPath</source>
            <translation>%1[*] — PodPath</translation>
        </message>
        <message>
            <source>%1 errors, %2 warnings</source>
            <translation>오류 %1개, 경고 %2개</translation>
        </message>
        <message>
            <source>Refused: %1</source>
            <translation>거부됨: %1</translation>
        </message>
        <message>
            <source>Added %1</source>
            <translation>%1 추가됨</translation>
        </message>
        <message>
            <source>Unsaved changes</source>
            <translation>저장하지 않은 변경</translation>
        </message>
        <message>
            <source>%1 has unsaved changes. Save them?</source>
            <translation>%1에 저장하지 않은 변경이 있습니다. 저장할까요?</translation>
        </message>
        <message>
            <source>Open Scenario</source>
            <translation>시나리오 열기</translation>
        </message>
        <message>
            <source>Cannot open file</source>
            <translation>파일을 열 수 없음</translation>
        </message>
        <message>
            <source>%1 could not be opened.</source>
            <translation>%1을(를) 열 수 없습니다.</translation>
        </message>
        <message>
            <source>Save Scenario As</source>
            <translation>시나리오를 다른 이름으로 저장</translation>
        </message>
        <message>
            <source>Not saved</source>
            <translation>저장되지 않음</translation>
        </message>
        <message>
            <source>The scenario was not saved; your changes are still here.</source>
            <translation>시나리오가 저장되지 않았습니다. 변경 내용은 그대로 있습니다.</translation>
        </message>
        <message>
            <source>Saved %1</source>
            <translation>%1 저장됨</translation>
        </message>
        <message>
            <source>Revert</source>
            <translation>되돌리기</translation>
        </message>
        <message>
            <source>Discard every change since %1 was saved?</source>
            <translation>%1을(를) 저장한 뒤의 모든 변경을 버릴까요?</translation>
        </message>
        <message>
            <source>Import Manifests</source>
            <translation>매니페스트 가져오기</translation>
        </message>
        <message>
            <source>Cannot import</source>
            <translation>가져올 수 없음</translation>
        </message>
        <message>
            <source>%1 could not be read.</source>
            <translation>%1을(를) 읽을 수 없습니다.</translation>
        </message>
        <message>
            <source>%1 holds no objects PodPath can add.</source>
            <translation>%1에는 PodPath가 추가할 수 있는 객체가 없습니다.</translation>
        </message>
        <message>
            <source>Imported %1 objects from %2</source>
            <translation>%2에서 객체 %1개를 가져왔습니다</translation>
        </message>
        <message>
            <source>Export Manifests</source>
            <translation>매니페스트 내보내기</translation>
        </message>
        <message>
            <source>Not exported</source>
            <translation>내보내지 않음</translation>
        </message>
        <message>
            <source>Exported to %1</source>
            <translation>%1(으)로 내보냄</translation>
        </message>
        <message>
            <source>%1 was removed from disk; Save writes it again</source>
            <translation>%1이(가) 디스크에서 지워졌습니다. 저장하면 다시 씁니다</translation>
        </message>
        <message>
            <source>%1 was changed by another program. Reload it?</source>
            <translation>다른 프로그램이 %1을(를) 바꿨습니다. 다시 불러올까요?</translation>
        </message>
        <message>
            <source>Reloading discards your unsaved changes.</source>
            <translation>다시 불러오면 저장하지 않은 변경이 사라집니다.</translation>
        </message>
        <message>
            <source>File changed on disk</source>
            <translation>디스크의 파일이 바뀜</translation>
        </message>
        <message>
            <source>an untitled scenario</source>
            <translation>제목 없는 시나리오</translation>
        </message>
        <message>
            <source>Restore unsaved work?</source>
            <translation>저장하지 않은 작업을 복원할까요?</translation>
        </message>
        <message>
            <source>PodPath did not close normally. Restore the unsaved changes to %1?</source>
            <translation>PodPath가 정상적으로 종료되지 않았습니다. %1의 저장하지 않은 변경을 복원할까요?</translation>
        </message>
        <message>
            <source>Cannot restore</source>
            <translation>복원할 수 없음</translation>
        </message>
        <message>
            <source>About PodPath</source>
            <translation>PodPath 정보</translation>
        </message>
        <message>
            <source>PodPath makes Kubernetes Service networking visible: build a cluster, press play and watch every request take its real path.</source>
            <translation>PodPath는 쿠버네티스 서비스 네트워킹을 눈으로 보여 줍니다: 클러스터를 만들고 재생을 누르면 모든 요청이 실제 경로를 따라가는 모습이 보입니다.</translation>
        </message>
    </context>
    <context>
        <name>Palette</name>
        <message>
            <source>Palette of Kubernetes kinds</source>
            <translation>쿠버네티스 종류 팔레트</translation>
        </message>
    </context>
    <context>
        <name>PlacementPanel</name>
        <message>
            <source>Select a pod to see how the scheduler placed it.</source>
            <translation>파드를 선택하면 스케줄러가 어떻게 배치했는지 보입니다.</translation>
        </message>
        <message>
            <source>{0}: no scheduling record (placed at start, pinned, or not scheduled yet).</source>
            <translation>{0}: 스케줄링 기록 없음 (시작 시 배치, 고정, 또는 아직 스케줄되지 않음).</translation>
        </message>
        <message>
            <source>Node</source>
            <translation>노드</translation>
        </message>
        <message>
            <source>Total</source>
            <translation>합계</translation>
        </message>
        <message>
            <source>Filtered out by</source>
            <translation>걸러낸 플러그인</translation>
        </message>
        <message>
            <source>{0} at t = {1} s, strategy {2}</source>
            <translation>{0} (t = {1}초, 전략 {2})</translation>
        </message>
        <message>
            <source>Not scheduled: {0}</source>
            <translation>스케줄되지 않음: {0}</translation>
        </message>
        <message>
            <source>{0} won with {1} points against {2} for {3} (weighted sum of the plugin scores: {4}).</source>
            <translation>{0}이(가) {1}점으로 선택됨 ({3}은(는) {2}점; 플러그인 점수의 가중합: {4}).</translation>
        </message>
        <message>
            <source>{0} was the only node left after filtering.</source>
            <translation>필터링 뒤 남은 노드는 {0}뿐이었습니다.</translation>
        </message>
    </context>
    <context>
        <name>ProblemsPanel</name>
        <message>
            <source>Severity</source>
            <translation>심각도</translation>
        </message>
        <message>
            <source>Location</source>
            <translation>위치</translation>
        </message>
        <message>
            <source>Object</source>
            <translation>객체</translation>
        </message>
        <message>
            <source>Field</source>
            <translation>필드</translation>
        </message>
        <message>
            <source>Message</source>
            <translation>메시지</translation>
        </message>
        <message>
            <source>error</source>
            <translation>오류</translation>
        </message>
        <message>
            <source>warning</source>
            <translation>경고</translation>
        </message>
    </context>
    <context>
        <name>RulesPanel</name>
        <message>
            <source>Node:</source>
            <translation>노드:</translation>
        </message>
        <message>
            <source>mode: {0}</source>
            <translation>모드: {0}</translation>
        </message>
    </context>
    <context>
        <name>TracePanel</name>
        <message>
            <source>Click a packet on the canvas (or an event) to see its path.</source>
            <translation>캔버스의 패킷(또는 이벤트)을 누르면 경로가 보입니다.</translation>
        </message>
        <message>
            <source>#</source>
            <translation>#</translation>
        </message>
        <message>
            <source>Where</source>
            <translation>위치</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>시간</translation>
        </message>
        <message>
            <source>In (src → dst)</source>
            <translation>들어옴 (출발 → 목적지)</translation>
        </message>
        <message>
            <source>Out (src → dst)</source>
            <translation>나감 (출발 → 목적지)</translation>
        </message>
        <message>
            <source>Rewrite</source>
            <translation>주소 변환</translation>
        </message>
        <message>
            <source>Rule</source>
            <translation>규칙</translation>
        </message>
        <message>
            <source>delivered in {0} ms</source>
            <translation>{0} ms 만에 전달</translation>
        </message>
        <message>
            <source>dropped: {0}</source>
            <translation>드롭: {0}</translation>
        </message>
        <message>
            <source>{0} → {1} at t = {2} s: {3}</source>
            <translation>{0} → {1} (t = {2}초): {3}</translation>
        </message>
        <message>
            <source>DNAT → {0}</source>
            <translation>DNAT → {0}</translation>
        </message>
        <message>
            <source>SNAT → {0}</source>
            <translation>SNAT → {0}</translation>
        </message>
        <message>
            <source>proxied → {0}</source>
            <translation>프록시됨 → {0}</translation>
        </message>
    </context>
    <context>
        <name>_Retranslator</name>
        <message>
            <source>&amp;Language</source>
            <translation>언어(&amp;L)</translation>
        </message>
    </context>
    <context>
        <name>Editor</name>
        <message>
            <source>Add %1</source>
            <translation>%1 추가</translation>
        </message>
        <message>
            <source>Delete %1</source>
            <translation>%1 삭제</translation>
        </message>
        <message>
            <source>Delete %n objects</source>
            <translation>객체 %n개 삭제</translation>
        </message>
        <message>
            <source>Change %1</source>
            <translation>%1 변경</translation>
        </message>
        <message>
            <source>Edit %1</source>
            <translation>%1 편집</translation>
        </message>
        <message>
            <source>Move %1</source>
            <translation>%1 이동</translation>
        </message>
        <message>
            <source>Move %n objects</source>
            <translation>객체 %n개 이동</translation>
        </message>
        <message>
            <source>Rename %1 to %2</source>
            <translation>%1의 이름을 %2(으)로 변경</translation>
        </message>
        <message>
            <source>Pin %1 to %2</source>
            <translation>%1을(를) %2에 고정</translation>
        </message>
        <message>
            <source>A %1 has no connections; drag from a Service, an Ingress or a Client</source>
            <translation>%1에는 연결이 없습니다. 서비스, 인그레스 또는 클라이언트에서 끌어 오세요</translation>
        </message>
        <message>
            <source>A Service selects pods: drop it on a Deployment, StatefulSet, DaemonSet or Pod</source>
            <translation>서비스는 파드를 선택합니다: Deployment, StatefulSet, DaemonSet 또는 파드 위에 놓으세요</translation>
        </message>
        <message>
            <source>A Service only selects pods of its own namespace (%1)</source>
            <translation>서비스는 자기 네임스페이스(%1)의 파드만 선택합니다</translation>
        </message>
        <message>
            <source>An ExternalName Service has no pods; it only names a host outside the cluster</source>
            <translation>ExternalName 서비스에는 파드가 없습니다. 클러스터 밖의 호스트 이름을 가리킬 뿐입니다</translation>
        </message>
        <message>
            <source>%1 has no labels to select</source>
            <translation>%1에는 선택할 레이블이 없습니다</translation>
        </message>
        <message>
            <source>Connect %1 to %2</source>
            <translation>%1을(를) %2에 연결</translation>
        </message>
        <message>
            <source>An Ingress routes to Services: drop it on a Service</source>
            <translation>인그레스는 서비스로 라우팅합니다: 서비스 위에 놓으세요</translation>
        </message>
        <message>
            <source>An Ingress only routes to Services of its own namespace (%1)</source>
            <translation>인그레스는 자기 네임스페이스(%1)의 서비스로만 라우팅합니다</translation>
        </message>
        <message>
            <source>%1 has no ports to route to</source>
            <translation>%1에는 라우팅할 포트가 없습니다</translation>
        </message>
        <message>
            <source>%1 already has a rule for %2</source>
            <translation>%1에는 이미 %2에 대한 규칙이 있습니다</translation>
        </message>
        <message>
            <source>Route %1 to %2</source>
            <translation>%1을(를) %2(으)로 라우팅</translation>
        </message>
        <message>
            <source>%1 has no host rule yet: connect it to a Service first</source>
            <translation>%1에는 아직 호스트 규칙이 없습니다: 먼저 서비스에 연결하세요</translation>
        </message>
        <message>
            <source>Requests to a node need a NodePort or LoadBalancer Service to reach</source>
            <translation>노드로 가는 요청은 NodePort 또는 LoadBalancer 서비스가 있어야 도달합니다</translation>
        </message>
        <message>
            <source>This load balancer has no address yet</source>
            <translation>이 로드밸런서에는 아직 주소가 없습니다</translation>
        </message>
        <message>
            <source>A Client sends requests to a Service, an Ingress, a node or a load balancer</source>
            <translation>클라이언트는 서비스, 인그레스, 노드 또는 로드밸런서로 요청을 보냅니다</translation>
        </message>
        <message>
            <source>Send traffic from %1 to %2</source>
            <translation>%1에서 %2(으)로 트래픽 보내기</translation>
        </message>
        <message>
            <source>The clipboard holds no Kubernetes objects</source>
            <translation>클립보드에 쿠버네티스 객체가 없습니다</translation>
        </message>
        <message>
            <source>Import %1</source>
            <translation>%1 가져오기</translation>
        </message>
        <message>
            <source>Paste %n objects</source>
            <translation>객체 %n개 붙여넣기</translation>
        </message>
        <message>
            <source>Paste %1</source>
            <translation>%1 붙여넣기</translation>
        </message>
        <message>
            <source>Duplicate</source>
            <translation>복제</translation>
        </message>
    </context>
    <context>
        <name>LiveCharts</name>
        <message>
            <source>Drops/s by reason</source>
            <translation>원인별 초당 드롭 수</translation>
        </message>
        <message>
            <source>Latency ms: p50, p90, p99 (1 s average)</source>
            <translation>지연 시간 ms: p50, p90, p99 (1초 평균)</translation>
        </message>
        <message>
            <source>Fairness (Jain index)</source>
            <translation>공정성 (Jain 지수)</translation>
        </message>
        <message>
            <source>Service:</source>
            <translation>서비스:</translation>
        </message>
        <message>
            <source>Balance</source>
            <translation>분배</translation>
        </message>
        <message>
            <source>Drops, latency, fairness</source>
            <translation>드롭, 지연, 공정성</translation>
        </message>
        <message>
            <source>Share of requests (last {0:g} s); — expected</source>
            <translation>요청 분배 비율 (최근 {0:g}초); — 기대값</translation>
        </message>
        <message>
            <source>Requests/s per pod</source>
            <translation>파드별 초당 요청 수</translation>
        </message>
        <message>
            <source>IPVS connections per pod: active —, inactive - -</source>
            <translation>파드별 IPVS 연결: 활성 —, 비활성 - -</translation>
        </message>
        <message>
            <source>no IPVS connections to these pods
(iptables/nftables mode, or no client
reaches them through kube-proxy)</source>
            <translation>이 파드들로 가는 IPVS 연결 없음
(iptables/nftables 모드이거나, kube-proxy를
거쳐 도달하는 클라이언트가 없음)</translation>
        </message>
        <message>
            <source>Jain {0:.3f} over the last {1:g} s</source>
            <translation>Jain {0:.3f} (최근 {1:g}초)</translation>
        </message>
        <message>
            <source>{0} pods · shares over the last {1:g} s</source>
            <translation>파드 {0}개 · 최근 {1:g}초 분배 비율</translation>
        </message>
    </context>
    <context>
        <name>Snapshot</name>
        <message>
            <source>{0}   ·   kube-proxy {1}   ·   scheduler {2}   ·   timing {3}</source>
            <translation>{0}   ·   kube-proxy {1}   ·   스케줄러 {2}   ·   타이밍 {3}</translation>
        </message>
        <message>
            <source>Events</source>
            <translation>이벤트</translation>
        </message>
    </context>
</TS>
