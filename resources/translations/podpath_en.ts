<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
    <context>
        <name>Canvas</name>
        <message>
            <source>node %1</source>
            <translation>node %1</translation>
        </message>
        <message>
            <source>1 stale endpoint</source>
            <translation>1 stale endpoint</translation>
        </message>
        <message>
            <source>%1 stale endpoints</source>
            <translation>%1 stale endpoints</translation>
        </message>
        <message>
            <source>1 new endpoint not programmed</source>
            <translation>1 new endpoint not programmed</translation>
        </message>
        <message>
            <source>%1 new endpoints not programmed</source>
            <translation>%1 new endpoints not programmed</translation>
        </message>
        <message>
            <source>kube-proxy: %1</source>
            <translation>kube-proxy: %1</translation>
        </message>
        <message>
            <source>%1 stale</source>
            <translation>%1 stale</translation>
        </message>
        <message>
            <source>%1 new</source>
            <translation>%1 new</translation>
        </message>
        <message>
            <source>still programmed</source>
            <translation>still programmed</translation>
        </message>
        <message>
            <source>not programmed yet</source>
            <translation>not programmed yet</translation>
        </message>
        <message>
            <source>(no zone)</source>
            <translation>(no zone)</translation>
        </message>
        <message>
            <source>&lt;pending&gt;</source>
            <translation>&lt;pending&gt;</translation>
        </message>
        <message>
            <source>LB %1</source>
            <translation>LB %1</translation>
        </message>
        <message>
            <source>in %1</source>
            <translation>in %1</translation>
        </message>
        <message>
            <source>→ %1 pods on %2 nodes</source>
            <translation>→ %1 pods on %2 nodes</translation>
        </message>
        <message>
            <source>%1 · %2/%3 ready</source>
            <translation>%1 · %2/%3 ready</translation>
        </message>
        <message>
            <source>(no rules)</source>
            <translation>(no rules)</translation>
        </message>
        <message>
            <source>class: %1</source>
            <translation>class: %1</translation>
        </message>
        <message>
            <source>default</source>
            <translation>default</translation>
        </message>
        <message>
            <source>(default)</source>
            <translation>(default)</translation>
        </message>
        <message>
            <source>Ready</source>
            <translation>Ready</translation>
        </message>
        <message>
            <source>not Ready</source>
            <translation>not Ready</translation>
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
            <translation>cluster</translation>
        </message>
        <message>
            <source>zone %1</source>
            <translation>zone %1</translation>
        </message>
        <message>
            <source>podCIDR %1</source>
            <translation>podCIDR %1</translation>
        </message>
        <message>
            <source>client</source>
            <translation>client</translation>
        </message>
    </context>
    <context>
        <name>CaptionBar</name>
        <message>
            <source>Esc leaves projector mode</source>
            <translation>Esc leaves projector mode</translation>
        </message>
        <message>
            <source>{0} — step {1} of {2}</source>
            <translation>{0} — step {1} of {2}</translation>
        </message>
    </context>
    <context>
        <name>ClusterScene</name>
        <message>
            <source>Drop a pod on a node to pin it there</source>
            <translation>Drop a pod on a node to pin it there</translation>
        </message>
    </context>
    <context>
        <name>CompareWindow</name>
        <message>
            <source>as in the file</source>
            <translation>as in the file</translation>
        </message>
        <message>
            <source>realistic timings</source>
            <translation>realistic timings</translation>
        </message>
        <message>
            <source>classroom timings</source>
            <translation>classroom timings</translation>
        </message>
        <message>
            <source>Compare two configurations</source>
            <translation>Compare two configurations</translation>
        </message>
        <message>
            <source>A (solid):</source>
            <translation>A (solid):</translation>
        </message>
        <message>
            <source>B (dashed):</source>
            <translation>B (dashed):</translation>
        </message>
        <message>
            <source>Reset</source>
            <translation>Reset</translation>
        </message>
        <message>
            <source>Pause</source>
            <translation>Pause</translation>
        </message>
        <message>
            <source>Play</source>
            <translation>Play</translation>
        </message>
        <message>
            <source>Answered requests/s</source>
            <translation>Answered requests/s</translation>
        </message>
        <message>
            <source>Dropped requests/s</source>
            <translation>Dropped requests/s</translation>
        </message>
        <message>
            <source>Mean latency (ms, last 5 s)</source>
            <translation>Mean latency (ms, last 5 s)</translation>
        </message>
        <message>
            <source>Fairness over the pods (Jain, last 5 s)</source>
            <translation>Fairness over the pods (Jain, last 5 s)</translation>
        </message>
        <message>
            <source>{0}: {1} answered, {2} dropped, mean latency {3} ms, fairness {4}</source>
            <translation>{0}: {1} answered, {2} dropped, mean latency {3} ms, fairness {4}</translation>
        </message>
        <message>
            <source>t = {0} s</source>
            <translation>t = {0} s</translation>
        </message>
    </context>
    <context>
        <name>DropReason</name>
        <message>
            <source>refused: no endpoints</source>
            <translation>refused: no endpoints</translation>
        </message>
        <message>
            <source>refused: no usable IPVS real server</source>
            <translation>refused: no usable IPVS real server</translation>
        </message>
        <message>
            <source>timed out: sent to a dead pod</source>
            <translation>timed out: sent to a dead pod</translation>
        </message>
        <message>
            <source>dropped: no local pod (policy Local)</source>
            <translation>dropped: no local pod (policy Local)</translation>
        </message>
        <message>
            <source>reply discarded (no SNAT)</source>
            <translation>reply discarded (no SNAT)</translation>
        </message>
        <message>
            <source>lost: the node is down</source>
            <translation>lost: the node is down</translation>
        </message>
        <message>
            <source>lost: the client's node is down</source>
            <translation>lost: the client's node is down</translation>
        </message>
        <message>
            <source>no healthy node behind the load balancer</source>
            <translation>no healthy node behind the load balancer</translation>
        </message>
        <message>
            <source>no route from outside the cluster</source>
            <translation>no route from outside the cluster</translation>
        </message>
        <message>
            <source>DNS name not found</source>
            <translation>DNS name not found</translation>
        </message>
        <message>
            <source>the Service has no such port</source>
            <translation>the Service has no such port</translation>
        </message>
        <message>
            <source>static route: the pod is gone</source>
            <translation>static route: the pod is gone</translation>
        </message>
        <message>
            <source>no Ingress controller running</source>
            <translation>no Ingress controller running</translation>
        </message>
        <message>
            <source>HTTP 404: no Ingress rule matched</source>
            <translation>HTTP 404: no Ingress rule matched</translation>
        </message>
        <message>
            <source>blocked: source outside the allowed ranges</source>
            <translation>blocked: source outside the allowed ranges</translation>
        </message>
    </context>
    <context>
        <name>EventsPanel</name>
        <message>
            <source>DNS answer</source>
            <translation>DNS answer</translation>
        </message>
        <message>
            <source>conntrack hit</source>
            <translation>conntrack hit</translation>
        </message>
        <message>
            <source>DNAT</source>
            <translation>DNAT</translation>
        </message>
        <message>
            <source>SNAT / masquerade</source>
            <translation>SNAT / masquerade</translation>
        </message>
        <message>
            <source>proxied (ingress)</source>
            <translation>proxied (ingress)</translation>
        </message>
        <message>
            <source>drop</source>
            <translation>drop</translation>
        </message>
        <message>
            <source>delivered</source>
            <translation>delivered</translation>
        </message>
        <message>
            <source>control plane</source>
            <translation>control plane</translation>
        </message>
        <message>
            <source>DNS answer {0} → {1}</source>
            <translation>DNS answer {0} → {1}</translation>
        </message>
        <message>
            <source>DNAT {0} → {1}</source>
            <translation>DNAT {0} → {1}</translation>
        </message>
        <message>
            <source>SNAT / masquerade {0} → {1}</source>
            <translation>SNAT / masquerade {0} → {1}</translation>
        </message>
        <message>
            <source>dropped: {0}</source>
            <translation>dropped: {0}</translation>
        </message>
        <message>
            <source>the ingress controller opens {0} → {1}</source>
            <translation>the ingress controller opens {0} → {1}</translation>
        </message>
        <message>
            <source>delivered ({0} ms)</source>
            <translation>delivered ({0} ms)</translation>
        </message>
        <message>
            <source>All types</source>
            <translation>All types</translation>
        </message>
        <message>
            <source>Filter by text (object, address, reason)</source>
            <translation>Filter by text (object, address, reason)</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>Time</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>Type</translation>
        </message>
        <message>
            <source>Where</source>
            <translation>Where</translation>
        </message>
        <message>
            <source>What</source>
            <translation>What</translation>
        </message>
    </context>
    <context>
        <name>HistoryPanel</name>
        <message>
            <source>&lt;opened&gt;</source>
            <translation>&lt;opened&gt;</translation>
        </message>
    </context>
    <context>
        <name>Inspector</name>
        <message>
            <source>Nothing selected</source>
            <translation>Nothing selected</translation>
        </message>
        <message>
            <source>Fields</source>
            <translation>Fields</translation>
        </message>
        <message>
            <source>Apply YAML</source>
            <translation>Apply YAML</translation>
        </message>
        <message>
            <source>Replace the object with this YAML (one undo step)</source>
            <translation>Replace the object with this YAML (one undo step)</translation>
        </message>
        <message>
            <source>YAML</source>
            <translation>YAML</translation>
        </message>
        <message>
            <source>(default)</source>
            <translation>(default)</translation>
        </message>
        <message>
            <source>allocated: %1</source>
            <translation>allocated: %1</translation>
        </message>
        <message>
            <source>Refused: %1</source>
            <translation>Refused: %1</translation>
        </message>
        <message>
            <source>The YAML must be one mapping (a Kubernetes object)</source>
            <translation>The YAML must be one mapping (a Kubernetes object)</translation>
        </message>
    </context>
    <context>
        <name>Kinds</name>
        <message>
            <source>Node</source>
            <translation>Node</translation>
        </message>
        <message>
            <source>A worker machine with its own IP and pod CIDR</source>
            <translation>A worker machine with its own IP and pod CIDR</translation>
        </message>
        <message>
            <source>Deployment</source>
            <translation>Deployment</translation>
        </message>
        <message>
            <source>Stateless replicas of a pod template</source>
            <translation>Stateless replicas of a pod template</translation>
        </message>
        <message>
            <source>StatefulSet</source>
            <translation>StatefulSet</translation>
        </message>
        <message>
            <source>Replicas with stable names (name-0, name-1, …)</source>
            <translation>Replicas with stable names (name-0, name-1, …)</translation>
        </message>
        <message>
            <source>DaemonSet</source>
            <translation>DaemonSet</translation>
        </message>
        <message>
            <source>One pod on every node</source>
            <translation>One pod on every node</translation>
        </message>
        <message>
            <source>Pod</source>
            <translation>Pod</translation>
        </message>
        <message>
            <source>A single pod; drop it on a node to pin it there</source>
            <translation>A single pod; drop it on a node to pin it there</translation>
        </message>
        <message>
            <source>Service (ClusterIP)</source>
            <translation>Service (ClusterIP)</translation>
        </message>
        <message>
            <source>A virtual IP inside the cluster; drag it onto a workload to select its pods</source>
            <translation>A virtual IP inside the cluster; drag it onto a workload to select its pods</translation>
        </message>
        <message>
            <source>Service (NodePort)</source>
            <translation>Service (NodePort)</translation>
        </message>
        <message>
            <source>Reachable on a port (30000–32767) of every node</source>
            <translation>Reachable on a port (30000–32767) of every node</translation>
        </message>
        <message>
            <source>Service (LoadBalancer)</source>
            <translation>Service (LoadBalancer)</translation>
        </message>
        <message>
            <source>An external load balancer in front of the node ports</source>
            <translation>An external load balancer in front of the node ports</translation>
        </message>
        <message>
            <source>Service (headless)</source>
            <translation>Service (headless)</translation>
        </message>
        <message>
            <source>No virtual IP: DNS answers with the pod IPs</source>
            <translation>No virtual IP: DNS answers with the pod IPs</translation>
        </message>
        <message>
            <source>Service (ExternalName)</source>
            <translation>Service (ExternalName)</translation>
        </message>
        <message>
            <source>A DNS alias (CNAME) for a name outside the cluster</source>
            <translation>A DNS alias (CNAME) for a name outside the cluster</translation>
        </message>
        <message>
            <source>Ingress</source>
            <translation>Ingress</translation>
        </message>
        <message>
            <source>HTTP host and path rules; drag it onto a Service to add a rule</source>
            <translation>HTTP host and path rules; drag it onto a Service to add a rule</translation>
        </message>
        <message>
            <source>Ingress controller</source>
            <translation>Ingress controller</translation>
        </message>
        <message>
            <source>ingress-nginx: a Deployment, its LoadBalancer Service and an IngressClass</source>
            <translation>ingress-nginx: a Deployment, its LoadBalancer Service and an IngressClass</translation>
        </message>
        <message>
            <source>Client</source>
            <translation>Client</translation>
        </message>
        <message>
            <source>Sends requests; drag it onto a Service, Ingress, node or load balancer</source>
            <translation>Sends requests; drag it onto a Service, Ingress, node or load balancer</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>Namespace</source>
            <translation>Namespace</translation>
        </message>
        <message>
            <source>Labels</source>
            <translation>Labels</translation>
        </message>
        <message>
            <source>Image</source>
            <translation>Image</translation>
        </message>
        <message>
            <source>Container port</source>
            <translation>Container port</translation>
        </message>
        <message>
            <source>Zone</source>
            <translation>Zone</translation>
        </message>
        <message>
            <source>Unschedulable (cordoned)</source>
            <translation>Unschedulable (cordoned)</translation>
        </message>
        <message>
            <source>Pod CIDR</source>
            <translation>Pod CIDR</translation>
        </message>
        <message>
            <source>CPU capacity</source>
            <translation>CPU capacity</translation>
        </message>
        <message>
            <source>Memory capacity</source>
            <translation>Memory capacity</translation>
        </message>
        <message>
            <source>Replicas</source>
            <translation>Replicas</translation>
        </message>
        <message>
            <source>Selector</source>
            <translation>Selector</translation>
        </message>
        <message>
            <source>Pod labels</source>
            <translation>Pod labels</translation>
        </message>
        <message>
            <source>Service name</source>
            <translation>Service name</translation>
        </message>
        <message>
            <source>Node (pinned)</source>
            <translation>Node (pinned)</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>Type</translation>
        </message>
        <message>
            <source>Cluster IP</source>
            <translation>Cluster IP</translation>
        </message>
        <message>
            <source>Port</source>
            <translation>Port</translation>
        </message>
        <message>
            <source>Target port</source>
            <translation>Target port</translation>
        </message>
        <message>
            <source>Node port</source>
            <translation>Node port</translation>
        </message>
        <message>
            <source>External traffic policy</source>
            <translation>External traffic policy</translation>
        </message>
        <message>
            <source>Session affinity</source>
            <translation>Session affinity</translation>
        </message>
        <message>
            <source>External name</source>
            <translation>External name</translation>
        </message>
        <message>
            <source>Ingress class</source>
            <translation>Ingress class</translation>
        </message>
        <message>
            <source>Controller</source>
            <translation>Controller</translation>
        </message>
        <message>
            <source>Location</source>
            <translation>Location</translation>
        </message>
        <message>
            <source>IP</source>
            <translation>IP</translation>
        </message>
        <message>
            <source>Node (internal)</source>
            <translation>Node (internal)</translation>
        </message>
        <message>
            <source>Target</source>
            <translation>Target</translation>
        </message>
        <message>
            <source>Rate (requests/s)</source>
            <translation>Rate (requests/s)</translation>
        </message>
        <message>
            <source>Connection</source>
            <translation>Connection</translation>
        </message>
        <message>
            <source>Requests per connection</source>
            <translation>Requests per connection</translation>
        </message>
    </context>
    <context>
        <name>LegendOverlay</name>
        <message>
            <source>Packets by destination pod:</source>
            <translation>Packets by destination pod:</translation>
        </message>
        <message>
            <source>node / pod Ready</source>
            <translation>node / pod Ready</translation>
        </message>
        <message>
            <source>dropped (hover: why)</source>
            <translation>dropped (hover: why)</translation>
        </message>
        <message>
            <source>address rewritten here</source>
            <translation>address rewritten here</translation>
        </message>
        <message>
            <source>NotReady / not Ready</source>
            <translation>NotReady / not Ready</translation>
        </message>
        <message>
            <source>node cordoned</source>
            <translation>node cordoned</translation>
        </message>
        <message>
            <source>Pending / ContainerCreating</source>
            <translation>Pending / ContainerCreating</translation>
        </message>
        <message>
            <source>pod Terminating</source>
            <translation>pod Terminating</translation>
        </message>
        <message>
            <source>… and {0} more pods</source>
            <translation>… and {0} more pods</translation>
        </message>
    </context>
    <context>
        <name>LessonPanel</name>
        <message>
            <source>◀ Previous step</source>
            <translation>◀ Previous step</translation>
        </message>
        <message>
            <source>Back to the beginning of the previous step (← or Page Up)</source>
            <translation>Back to the beginning of the previous step (← or Page Up)</translation>
        </message>
        <message>
            <source>No lesson open</source>
            <translation>No lesson open</translation>
        </message>
        <message>
            <source>Open one from the Lessons menu.</source>
            <translation>Open one from the Lessons menu.</translation>
        </message>
        <message>
            <source>Next step ▶</source>
            <translation>Next step ▶</translation>
        </message>
        <message>
            <source>Step {0} of {1}</source>
            <translation>Step {0} of {1}</translation>
        </message>
        <message>
            <source>Predict: {0}</source>
            <translation>Predict: {0}</translation>
        </message>
        <message>
            <source>Answer: {0}</source>
            <translation>Answer: {0}</translation>
        </message>
        <message>
            <source>Reveal ▶</source>
            <translation>Reveal ▶</translation>
        </message>
        <message>
            <source>Play the moment and show the answer (→ or Page Down)</source>
            <translation>Play the moment and show the answer (→ or Page Down)</translation>
        </message>
        <message>
            <source>Skip ahead ▶▶</source>
            <translation>Skip ahead ▶▶</translation>
        </message>
        <message>
            <source>Jump to the end of this step</source>
            <translation>Jump to the end of this step</translation>
        </message>
        <message>
            <source>End of the lesson</source>
            <translation>End of the lesson</translation>
        </message>
        <message>
            <source>Go on to the next step (→ or Page Down)</source>
            <translation>Go on to the next step (→ or Page Down)</translation>
        </message>
    </context>
    <context>
        <name>LessonTable</name>
        <message>
            <source>Show it: lesson {0}, step {1}</source>
            <translation>Show it: lesson {0}, step {1}</translation>
        </message>
    </context>
    <context>
        <name>Lessons</name>
        <message>
            <source>Lesson</source>
            <translation>Lesson</translation>
        </message>
        <message>
            <source>Comparison table</source>
            <translation>Comparison table</translation>
        </message>
        <message>
            <source>Open lesson file…</source>
            <translation>Open lesson file…</translation>
        </message>
        <message>
            <source>Next step / reveal</source>
            <translation>Next step / reveal</translation>
        </message>
        <message>
            <source>Previous step</source>
            <translation>Previous step</translation>
        </message>
        <message>
            <source>Projector mode</source>
            <translation>Projector mode</translation>
        </message>
        <message>
            <source>Compare two configurations…</source>
            <translation>Compare two configurations…</translation>
        </message>
        <message>
            <source>Stop recording and save the lesson…</source>
            <translation>Stop recording and save the lesson…</translation>
        </message>
        <message>
            <source>Record a lesson</source>
            <translation>Record a lesson</translation>
        </message>
        <message>
            <source>Add a step here…</source>
            <translation>Add a step here…</translation>
        </message>
        <message>
            <source>Add a predict pause here…</source>
            <translation>Add a predict pause here…</translation>
        </message>
        <message>
            <source>E&amp;xport as</source>
            <translation>E&amp;xport as</translation>
        </message>
        <message>
            <source>Canvas as PNG or SVG…</source>
            <translation>Canvas as PNG or SVG…</translation>
        </message>
        <message>
            <source>Charts as PNG…</source>
            <translation>Charts as PNG…</translation>
        </message>
        <message>
            <source>Metrics as CSV…</source>
            <translation>Metrics as CSV…</translation>
        </message>
        <message>
            <source>Event log as CSV…</source>
            <translation>Event log as CSV…</translation>
        </message>
        <message>
            <source>Kubernetes manifests…</source>
            <translation>Kubernetes manifests…</translation>
        </message>
        <message>
            <source>Lesson as a folder…</source>
            <translation>Lesson as a folder…</translation>
        </message>
        <message>
            <source>Open lesson</source>
            <translation>Open lesson</translation>
        </message>
        <message>
            <source>Lessons (*.yaml *.yml)</source>
            <translation>Lessons (*.yaml *.yml)</translation>
        </message>
        <message>
            <source>This lesson cannot be played:
{0}</source>
            <translation>This lesson cannot be played:
{0}</translation>
        </message>
        <message>
            <source>No lesson named {0}</source>
            <translation>No lesson named {0}</translation>
        </message>
        <message>
            <source>The scenario has errors: fix them first (Problems).</source>
            <translation>The scenario has errors: fix them first (Problems).</translation>
        </message>
        <message>
            <source>Name (letters, digits, -)</source>
            <translation>Name (letters, digits, -)</translation>
        </message>
        <message>
            <source>Title (Korean)</source>
            <translation>Title (Korean)</translation>
        </message>
        <message>
            <source>Title (English)</source>
            <translation>Title (English)</translation>
        </message>
        <message>
            <source>Recording: play, act, and add steps</source>
            <translation>Recording: play, act, and add steps</translation>
        </message>
        <message>
            <source>Save the recorded lesson</source>
            <translation>Save the recorded lesson</translation>
        </message>
        <message>
            <source>Step at t = {0} s</source>
            <translation>Step at t = {0} s</translation>
        </message>
        <message>
            <source>Caption (Korean)</source>
            <translation>Caption (Korean)</translation>
        </message>
        <message>
            <source>Caption (English)</source>
            <translation>Caption (English)</translation>
        </message>
        <message>
            <source>Predict pause answered at t = {0} s</source>
            <translation>Predict pause answered at t = {0} s</translation>
        </message>
        <message>
            <source>Question (Korean)</source>
            <translation>Question (Korean)</translation>
        </message>
        <message>
            <source>Question (English)</source>
            <translation>Question (English)</translation>
        </message>
        <message>
            <source>Answer (Korean)</source>
            <translation>Answer (Korean)</translation>
        </message>
        <message>
            <source>Answer (English)</source>
            <translation>Answer (English)</translation>
        </message>
        <message>
            <source>{0} written to {1}</source>
            <translation>{0} written to {1}</translation>
        </message>
        <message>
            <source>Not exported</source>
            <translation>Not exported</translation>
        </message>
        <message>
            <source>Export canvas</source>
            <translation>Export canvas</translation>
        </message>
        <message>
            <source>PNG image (*.png);;SVG drawing (*.svg)</source>
            <translation>PNG image (*.png);;SVG drawing (*.svg)</translation>
        </message>
        <message>
            <source>Canvas</source>
            <translation>Canvas</translation>
        </message>
        <message>
            <source>No charts to export: the live view is not running.</source>
            <translation>No charts to export: the live view is not running.</translation>
        </message>
        <message>
            <source>Export charts</source>
            <translation>Export charts</translation>
        </message>
        <message>
            <source>PNG image (*.png)</source>
            <translation>PNG image (*.png)</translation>
        </message>
        <message>
            <source>Charts</source>
            <translation>Charts</translation>
        </message>
        <message>
            <source>The scenario has errors: nothing ran.</source>
            <translation>The scenario has errors: nothing ran.</translation>
        </message>
        <message>
            <source>Export metrics</source>
            <translation>Export metrics</translation>
        </message>
        <message>
            <source>CSV (*.csv)</source>
            <translation>CSV (*.csv)</translation>
        </message>
        <message>
            <source>Metrics</source>
            <translation>Metrics</translation>
        </message>
        <message>
            <source>Nothing has run yet: play the scenario first.</source>
            <translation>Nothing has run yet: play the scenario first.</translation>
        </message>
        <message>
            <source>Export event log</source>
            <translation>Export event log</translation>
        </message>
        <message>
            <source>Event log</source>
            <translation>Event log</translation>
        </message>
        <message>
            <source>Export Kubernetes manifests</source>
            <translation>Export Kubernetes manifests</translation>
        </message>
        <message>
            <source>YAML (*.yaml *.yml)</source>
            <translation>YAML (*.yaml *.yml)</translation>
        </message>
        <message>
            <source>Manifests</source>
            <translation>Manifests</translation>
        </message>
        <message>
            <source>Export lesson into folder</source>
            <translation>Export lesson into folder</translation>
        </message>
        <message>
            <source>t = {0} s</source>
            <translation>t = {0} s</translation>
        </message>
    </context>
    <context>
        <name>LiveControls</name>
        <message>
            <source>Simulation</source>
            <translation>Simulation</translation>
        </message>
        <message>
            <source>&amp;Play</source>
            <translation>&amp;Play</translation>
        </message>
        <message>
            <source>Play / pause the simulation</source>
            <translation>Play / pause the simulation</translation>
        </message>
        <message>
            <source>&amp;Step</source>
            <translation>&amp;Step</translation>
        </message>
        <message>
            <source>One tick (step-by-step: one event)</source>
            <translation>One tick (step-by-step: one event)</translation>
        </message>
        <message>
            <source>Step &amp;back</source>
            <translation>Step &amp;back</translation>
        </message>
        <message>
            <source>Back one tick (step-by-step: one event)</source>
            <translation>Back one tick (step-by-step: one event)</translation>
        </message>
        <message>
            <source>&amp;Reset</source>
            <translation>&amp;Reset</translation>
        </message>
        <message>
            <source>Back to t = 0 without the live actions</source>
            <translation>Back to t = 0 without the live actions</translation>
        </message>
        <message>
            <source>Save as &amp;timeline</source>
            <translation>Save as &amp;timeline</translation>
        </message>
        <message>
            <source>Write the live actions into the scenario as a Timeline</source>
            <translation>Write the live actions into the scenario as a Timeline</translation>
        </message>
        <message>
            <source>Simulation speed</source>
            <translation>Simulation speed</translation>
        </message>
        <message>
            <source>Realtime</source>
            <translation>Realtime</translation>
        </message>
        <message>
            <source>Step by step</source>
            <translation>Step by step</translation>
        </message>
        <message>
            <source>Realtime: traffic flows; step by step: one packet event at a time</source>
            <translation>Realtime: traffic flows; step by step: one packet event at a time</translation>
        </message>
        <message>
            <source>Drag to go to any simulated time</source>
            <translation>Drag to go to any simulated time</translation>
        </message>
        <message>
            <source>Live actions</source>
            <translation>Live actions</translation>
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
            <translation>Scheduler:</translation>
        </message>
        <message>
            <source>Timing:</source>
            <translation>Timing:</translation>
        </message>
        <message>
            <source>&amp;Pause</source>
            <translation>&amp;Pause</translation>
        </message>
        <message>
            <source>mode {0}</source>
            <translation>mode {0}</translation>
        </message>
        <message>
            <source>IPVS {0}</source>
            <translation>IPVS {0}</translation>
        </message>
        <message>
            <source>Fail node {0}</source>
            <translation>Fail node {0}</translation>
        </message>
        <message>
            <source>Recover node {0}</source>
            <translation>Recover node {0}</translation>
        </message>
        <message>
            <source>Uncordon {0}</source>
            <translation>Uncordon {0}</translation>
        </message>
        <message>
            <source>Cordon {0}</source>
            <translation>Cordon {0}</translation>
        </message>
        <message>
            <source>Drain {0}</source>
            <translation>Drain {0}</translation>
        </message>
        <message>
            <source>Delete pod {0}</source>
            <translation>Delete pod {0}</translation>
        </message>
        <message>
            <source>Show placement scores</source>
            <translation>Show placement scores</translation>
        </message>
        <message>
            <source>Set replicas of {0}…</source>
            <translation>Set replicas of {0}…</translation>
        </message>
        <message>
            <source>Make it type {0}</source>
            <translation>Make it type {0}</translation>
        </message>
        <message>
            <source>{0}: {1}</source>
            <translation>{0}: {1}</translation>
        </message>
        <message>
            <source>Set {0} to {1}</source>
            <translation>Set {0} to {1}</translation>
        </message>
    </context>
    <context>
        <name>LiveView</name>
        <message>
            <source>Packet trace</source>
            <translation>Packet trace</translation>
        </message>
        <message>
            <source>Events</source>
            <translation>Events</translation>
        </message>
        <message>
            <source>Rules</source>
            <translation>Rules</translation>
        </message>
        <message>
            <source>Placement</source>
            <translation>Placement</translation>
        </message>
        <message>
            <source>Charts</source>
            <translation>Charts</translation>
        </message>
        <message>
            <source>The scenario has errors: fix them to run it (Problems).</source>
            <translation>The scenario has errors: fix them to run it (Problems).</translation>
        </message>
        <message>
            <source>The edit was applied from t = 0 and the run replayed to now with the same live actions.</source>
            <translation>The edit was applied from t = 0 and the run replayed to now with the same live actions.</translation>
        </message>
        <message>
            <source>down · NotReady in {0} s</source>
            <translation>down · NotReady in {0} s</translation>
        </message>
        <message>
            <source>NotReady · evicting in {0} s</source>
            <translation>NotReady · evicting in {0} s</translation>
        </message>
        <message>
            <source>NotReady · pods evicted</source>
            <translation>NotReady · pods evicted</translation>
        </message>
        <message>
            <source>cordoned</source>
            <translation>cordoned</translation>
        </message>
        <message>
            <source>No rules to show: {0}</source>
            <translation>No rules to show: {0}</translation>
        </message>
        <message>
            <source>Action refused</source>
            <translation>Action refused</translation>
        </message>
        <message>
            <source>t = {0} s: {1} {2} {3}</source>
            <translation>t = {0} s: {1} {2} {3}</translation>
        </message>
        <message>
            <source>Set replicas</source>
            <translation>Set replicas</translation>
        </message>
        <message>
            <source>Replicas of {0}:</source>
            <translation>Replicas of {0}:</translation>
        </message>
        <message>
            <source>Save as timeline</source>
            <translation>Save as timeline</translation>
        </message>
        <message>
            <source>No live actions yet: fail a node or switch a mode first.</source>
            <translation>No live actions yet: fail a node or switch a mode first.</translation>
        </message>
        <message>
            <source>No new live actions since the last Save as timeline.</source>
            <translation>No new live actions since the last Save as timeline.</translation>
        </message>
        <message>
            <source>Save live actions as timeline</source>
            <translation>Save live actions as timeline</translation>
        </message>
        <message>
            <source>Timeline {0} added with {1} events; save the file to keep it.</source>
            <translation>Timeline {0} added with {1} events; save the file to keep it.</translation>
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
            <translation>Dropped at {0}: {1}</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>&amp;File</source>
            <translation>&amp;File</translation>
        </message>
        <message>
            <source>&amp;Edit</source>
            <translation>&amp;Edit</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>&amp;View</translation>
        </message>
        <message>
            <source>&amp;Simulation</source>
            <translation>&amp;Simulation</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>&amp;Help</translation>
        </message>
        <message>
            <source>&amp;Lessons</source>
            <translation>&amp;Lessons</translation>
        </message>
        <message>
            <source>&amp;Panels</source>
            <translation>&amp;Panels</translation>
        </message>
        <message>
            <source>Created by the simulation: edit its workload instead</source>
            <translation>Created by the simulation: edit its workload instead</translation>
        </message>
        <message>
            <source>%n objects selected</source>
            <translation>%n objects selected</translation>
        </message>
        <message>
            <source>Palette</source>
            <translation>Palette</translation>
        </message>
        <message>
            <source>Inspector</source>
            <translation>Inspector</translation>
        </message>
        <message>
            <source>History</source>
            <translation>History</translation>
        </message>
        <message>
            <source>Problems</source>
            <translation>Problems</translation>
        </message>
        <message>
            <source>&amp;New</source>
            <translation>&amp;New</translation>
        </message>
        <message>
            <source>Start an empty scenario</source>
            <translation>Start an empty scenario</translation>
        </message>
        <message>
            <source>&amp;Open…</source>
            <translation>&amp;Open…</translation>
        </message>
        <message>
            <source>Open a scenario or manifest file</source>
            <translation>Open a scenario or manifest file</translation>
        </message>
        <message>
            <source>Open &amp;Recent</source>
            <translation>Open &amp;Recent</translation>
        </message>
        <message>
            <source>&amp;Save</source>
            <translation>&amp;Save</translation>
        </message>
        <message>
            <source>Save the scenario to its file</source>
            <translation>Save the scenario to its file</translation>
        </message>
        <message>
            <source>Save &amp;As…</source>
            <translation>Save &amp;As…</translation>
        </message>
        <message>
            <source>Save the scenario to a new file</source>
            <translation>Save the scenario to a new file</translation>
        </message>
        <message>
            <source>Re&amp;vert</source>
            <translation>Re&amp;vert</translation>
        </message>
        <message>
            <source>Discard every change since the last save</source>
            <translation>Discard every change since the last save</translation>
        </message>
        <message>
            <source>&amp;Import Manifests…</source>
            <translation>&amp;Import Manifests…</translation>
        </message>
        <message>
            <source>Add the objects of manifest files to this scenario</source>
            <translation>Add the objects of manifest files to this scenario</translation>
        </message>
        <message>
            <source>&amp;Export Manifests…</source>
            <translation>&amp;Export Manifests…</translation>
        </message>
        <message>
            <source>Write the Kubernetes objects as kubectl apply accepts them (what podpath export writes)</source>
            <translation>Write the Kubernetes objects as kubectl apply accepts them (what podpath export writes)</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>&amp;Quit</translation>
        </message>
        <message>
            <source>Close PodPath</source>
            <translation>Close PodPath</translation>
        </message>
        <message>
            <source>&amp;Undo</source>
            <translation>&amp;Undo</translation>
        </message>
        <message>
            <source>&amp;Redo</source>
            <translation>&amp;Redo</translation>
        </message>
        <message>
            <source>Undo the last change</source>
            <translation>Undo the last change</translation>
        </message>
        <message>
            <source>Redo the change undone last</source>
            <translation>Redo the change undone last</translation>
        </message>
        <message>
            <source>Cu&amp;t</source>
            <translation>Cu&amp;t</translation>
        </message>
        <message>
            <source>PodPath</source>
            <translation>PodPath</translation>
        </message>
        <message>
            <source>Copy the selection as Kubernetes YAML and delete it</source>
            <translation>Copy the selection as Kubernetes YAML and delete it</translation>
        </message>
        <message>
            <source>&amp;Copy</source>
            <translation>&amp;Copy</translation>
        </message>
        <message>
            <source>Copy the selection as Kubernetes YAML</source>
            <translation>Copy the selection as Kubernetes YAML</translation>
        </message>
        <message>
            <source>&amp;Paste</source>
            <translation>&amp;Paste</translation>
        </message>
        <message>
            <source>Add the Kubernetes objects on the clipboard</source>
            <translation>Add the Kubernetes objects on the clipboard</translation>
        </message>
        <message>
            <source>Dup&amp;licate</source>
            <translation>Dup&amp;licate</translation>
        </message>
        <message>
            <source>Copy the selection under new names</source>
            <translation>Copy the selection under new names</translation>
        </message>
        <message>
            <source>&amp;Delete</source>
            <translation>&amp;Delete</translation>
        </message>
        <message>
            <source>Delete the selection</source>
            <translation>Delete the selection</translation>
        </message>
        <message>
            <source>Re&amp;name</source>
            <translation>Re&amp;name</translation>
        </message>
        <message>
            <source>Rename the selected object in place</source>
            <translation>Rename the selected object in place</translation>
        </message>
        <message>
            <source>Select &amp;All</source>
            <translation>Select &amp;All</translation>
        </message>
        <message>
            <source>Select every object on the canvas</source>
            <translation>Select every object on the canvas</translation>
        </message>
        <message>
            <source>Zoom &amp;In</source>
            <translation>Zoom &amp;In</translation>
        </message>
        <message>
            <source>Magnify the canvas</source>
            <translation>Magnify the canvas</translation>
        </message>
        <message>
            <source>Zoom &amp;Out</source>
            <translation>Zoom &amp;Out</translation>
        </message>
        <message>
            <source>Shrink the canvas</source>
            <translation>Shrink the canvas</translation>
        </message>
        <message>
            <source>&amp;Actual Size</source>
            <translation>&amp;Actual Size</translation>
        </message>
        <message>
            <source>Show the canvas at 100 %</source>
            <translation>Show the canvas at 100 %</translation>
        </message>
        <message>
            <source>&amp;Fit to Window</source>
            <translation>&amp;Fit to Window</translation>
        </message>
        <message>
            <source>Show the whole cluster</source>
            <translation>Show the whole cluster</translation>
        </message>
        <message>
            <source>&amp;About PodPath</source>
            <translation>&amp;About PodPath</translation>
        </message>
        <message>
            <source>What PodPath is</source>
            <translation>What PodPath is</translation>
        </message>
        <message>
            <source>File</source>
            <translation>File</translation>
        </message>
        <message>
            <source>Edit</source>
            <translation>Edit</translation>
        </message>
        <message>
            <source>View</source>
            <translation>View</translation>
        </message>
        <message>
            <source>Undo</source>
            <translation>Undo</translation>
        </message>
        <message>
            <source>Redo</source>
            <translation>Redo</translation>
        </message>
        <message>
            <source>Undo %1</source>
            <translation>Undo %1</translation>
        </message>
        <message>
            <source>Redo %1</source>
            <translation>Redo %1</translation>
        </message>
        <message>
            <source>%1[*] — PodPath</source>
            <translation>%1[*] — PodPath</translation>
        </message>
        <message>
            <source>%1 errors, %2 warnings</source>
            <translation>%1 errors, %2 warnings</translation>
        </message>
        <message>
            <source>Refused: %1</source>
            <translation>Refused: %1</translation>
        </message>
        <message>
            <source>Added %1</source>
            <translation>Added %1</translation>
        </message>
        <message>
            <source>Unsaved changes</source>
            <translation>Unsaved changes</translation>
        </message>
        <message>
            <source>%1 has unsaved changes. Save them?</source>
            <translation>%1 has unsaved changes. Save them?</translation>
        </message>
        <message>
            <source>Open Scenario</source>
            <translation>Open Scenario</translation>
        </message>
        <message>
            <source>Cannot open file</source>
            <translation>Cannot open file</translation>
        </message>
        <message>
            <source>%1 could not be opened.</source>
            <translation>%1 could not be opened.</translation>
        </message>
        <message>
            <source>Save Scenario As</source>
            <translation>Save Scenario As</translation>
        </message>
        <message>
            <source>Not saved</source>
            <translation>Not saved</translation>
        </message>
        <message>
            <source>The scenario was not saved; your changes are still here.</source>
            <translation>The scenario was not saved; your changes are still here.</translation>
        </message>
        <message>
            <source>Saved %1</source>
            <translation>Saved %1</translation>
        </message>
        <message>
            <source>Revert</source>
            <translation>Revert</translation>
        </message>
        <message>
            <source>Discard every change since %1 was saved?</source>
            <translation>Discard every change since %1 was saved?</translation>
        </message>
        <message>
            <source>Import Manifests</source>
            <translation>Import Manifests</translation>
        </message>
        <message>
            <source>Cannot import</source>
            <translation>Cannot import</translation>
        </message>
        <message>
            <source>%1 could not be read.</source>
            <translation>%1 could not be read.</translation>
        </message>
        <message>
            <source>%1 holds no objects PodPath can add.</source>
            <translation>%1 holds no objects PodPath can add.</translation>
        </message>
        <message>
            <source>Imported %1 objects from %2</source>
            <translation>Imported %1 objects from %2</translation>
        </message>
        <message>
            <source>Export Manifests</source>
            <translation>Export Manifests</translation>
        </message>
        <message>
            <source>Not exported</source>
            <translation>Not exported</translation>
        </message>
        <message>
            <source>Exported to %1</source>
            <translation>Exported to %1</translation>
        </message>
        <message>
            <source>%1 was removed from disk; Save writes it again</source>
            <translation>%1 was removed from disk; Save writes it again</translation>
        </message>
        <message>
            <source>%1 was changed by another program. Reload it?</source>
            <translation>%1 was changed by another program. Reload it?</translation>
        </message>
        <message>
            <source>Reloading discards your unsaved changes.</source>
            <translation>Reloading discards your unsaved changes.</translation>
        </message>
        <message>
            <source>File changed on disk</source>
            <translation>File changed on disk</translation>
        </message>
        <message>
            <source>an untitled scenario</source>
            <translation>an untitled scenario</translation>
        </message>
        <message>
            <source>Restore unsaved work?</source>
            <translation>Restore unsaved work?</translation>
        </message>
        <message>
            <source>PodPath did not close normally. Restore the unsaved changes to %1?</source>
            <translation>PodPath did not close normally. Restore the unsaved changes to %1?</translation>
        </message>
        <message>
            <source>Cannot restore</source>
            <translation>Cannot restore</translation>
        </message>
        <message>
            <source>About PodPath</source>
            <translation>About PodPath</translation>
        </message>
        <message>
            <source>PodPath makes Kubernetes Service networking visible: build a cluster, press play and watch every request take its real path.</source>
            <translation>PodPath makes Kubernetes Service networking visible: build a cluster, press play and watch every request take its real path.</translation>
        </message>
    </context>
    <context>
        <name>Palette</name>
        <message>
            <source>Palette of Kubernetes kinds</source>
            <translation>Palette of Kubernetes kinds</translation>
        </message>
    </context>
    <context>
        <name>PlacementPanel</name>
        <message>
            <source>Select a pod to see how the scheduler placed it.</source>
            <translation>Select a pod to see how the scheduler placed it.</translation>
        </message>
        <message>
            <source>{0}: no scheduling record (placed at start, pinned, or not scheduled yet).</source>
            <translation>{0}: no scheduling record (placed at start, pinned, or not scheduled yet).</translation>
        </message>
        <message>
            <source>Node</source>
            <translation>Node</translation>
        </message>
        <message>
            <source>Total</source>
            <translation>Total</translation>
        </message>
        <message>
            <source>Filtered out by</source>
            <translation>Filtered out by</translation>
        </message>
        <message>
            <source>{0} at t = {1} s, strategy {2}</source>
            <translation>{0} at t = {1} s, strategy {2}</translation>
        </message>
        <message>
            <source>Not scheduled: {0}</source>
            <translation>Not scheduled: {0}</translation>
        </message>
        <message>
            <source>{0} won with {1} points against {2} for {3} (weighted sum of the plugin scores: {4}).</source>
            <translation>{0} won with {1} points against {2} for {3} (weighted sum of the plugin scores: {4}).</translation>
        </message>
        <message>
            <source>{0} was the only node left after filtering.</source>
            <translation>{0} was the only node left after filtering.</translation>
        </message>
    </context>
    <context>
        <name>ProblemsPanel</name>
        <message>
            <source>Severity</source>
            <translation>Severity</translation>
        </message>
        <message>
            <source>Location</source>
            <translation>Location</translation>
        </message>
        <message>
            <source>Object</source>
            <translation>Object</translation>
        </message>
        <message>
            <source>Field</source>
            <translation>Field</translation>
        </message>
        <message>
            <source>Message</source>
            <translation>Message</translation>
        </message>
        <message>
            <source>error</source>
            <translation>error</translation>
        </message>
        <message>
            <source>warning</source>
            <translation>warning</translation>
        </message>
    </context>
    <context>
        <name>RulesPanel</name>
        <message>
            <source>Node:</source>
            <translation>Node:</translation>
        </message>
        <message>
            <source>mode: {0}</source>
            <translation>mode: {0}</translation>
        </message>
    </context>
    <context>
        <name>TracePanel</name>
        <message>
            <source>Click a packet on the canvas (or an event) to see its path.</source>
            <translation>Click a packet on the canvas (or an event) to see its path.</translation>
        </message>
        <message>
            <source>#</source>
            <translation>#</translation>
        </message>
        <message>
            <source>Where</source>
            <translation>Where</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>Time</translation>
        </message>
        <message>
            <source>In (src → dst)</source>
            <translation>In (src → dst)</translation>
        </message>
        <message>
            <source>Out (src → dst)</source>
            <translation>Out (src → dst)</translation>
        </message>
        <message>
            <source>Rewrite</source>
            <translation>Rewrite</translation>
        </message>
        <message>
            <source>Rule</source>
            <translation>Rule</translation>
        </message>
        <message>
            <source>delivered in {0} ms</source>
            <translation>delivered in {0} ms</translation>
        </message>
        <message>
            <source>dropped: {0}</source>
            <translation>dropped: {0}</translation>
        </message>
        <message>
            <source>{0} → {1} at t = {2} s: {3}</source>
            <translation>{0} → {1} at t = {2} s: {3}</translation>
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
            <translation>proxied → {0}</translation>
        </message>
    </context>
    <context>
        <name>_Retranslator</name>
        <message>
            <source>&amp;Language</source>
            <translation>&amp;Language</translation>
        </message>
    </context>
    <context>
        <name>Editor</name>
        <message>
            <source>Add %1</source>
            <translation>Add %1</translation>
        </message>
        <message>
            <source>Delete %1</source>
            <translation>Delete %1</translation>
        </message>
        <message>
            <source>Delete %n objects</source>
            <translation>Delete %n objects</translation>
        </message>
        <message>
            <source>Change %1</source>
            <translation>Change %1</translation>
        </message>
        <message>
            <source>Edit %1</source>
            <translation>Edit %1</translation>
        </message>
        <message>
            <source>Move %1</source>
            <translation>Move %1</translation>
        </message>
        <message>
            <source>Move %n objects</source>
            <translation>Move %n objects</translation>
        </message>
        <message>
            <source>Rename %1 to %2</source>
            <translation>Rename %1 to %2</translation>
        </message>
        <message>
            <source>Pin %1 to %2</source>
            <translation>Pin %1 to %2</translation>
        </message>
        <message>
            <source>A %1 has no connections; drag from a Service, an Ingress or a Client</source>
            <translation>A %1 has no connections; drag from a Service, an Ingress or a Client</translation>
        </message>
        <message>
            <source>A Service selects pods: drop it on a Deployment, StatefulSet, DaemonSet or Pod</source>
            <translation>A Service selects pods: drop it on a Deployment, StatefulSet, DaemonSet or Pod</translation>
        </message>
        <message>
            <source>A Service only selects pods of its own namespace (%1)</source>
            <translation>A Service only selects pods of its own namespace (%1)</translation>
        </message>
        <message>
            <source>An ExternalName Service has no pods; it only names a host outside the cluster</source>
            <translation>An ExternalName Service has no pods; it only names a host outside the cluster</translation>
        </message>
        <message>
            <source>%1 has no labels to select</source>
            <translation>%1 has no labels to select</translation>
        </message>
        <message>
            <source>Connect %1 to %2</source>
            <translation>Connect %1 to %2</translation>
        </message>
        <message>
            <source>An Ingress routes to Services: drop it on a Service</source>
            <translation>An Ingress routes to Services: drop it on a Service</translation>
        </message>
        <message>
            <source>An Ingress only routes to Services of its own namespace (%1)</source>
            <translation>An Ingress only routes to Services of its own namespace (%1)</translation>
        </message>
        <message>
            <source>%1 has no ports to route to</source>
            <translation>%1 has no ports to route to</translation>
        </message>
        <message>
            <source>%1 already has a rule for %2</source>
            <translation>%1 already has a rule for %2</translation>
        </message>
        <message>
            <source>Route %1 to %2</source>
            <translation>Route %1 to %2</translation>
        </message>
        <message>
            <source>%1 has no host rule yet: connect it to a Service first</source>
            <translation>%1 has no host rule yet: connect it to a Service first</translation>
        </message>
        <message>
            <source>Requests to a node need a NodePort or LoadBalancer Service to reach</source>
            <translation>Requests to a node need a NodePort or LoadBalancer Service to reach</translation>
        </message>
        <message>
            <source>This load balancer has no address yet</source>
            <translation>This load balancer has no address yet</translation>
        </message>
        <message>
            <source>A Client sends requests to a Service, an Ingress, a node or a load balancer</source>
            <translation>A Client sends requests to a Service, an Ingress, a node or a load balancer</translation>
        </message>
        <message>
            <source>Send traffic from %1 to %2</source>
            <translation>Send traffic from %1 to %2</translation>
        </message>
        <message>
            <source>The clipboard holds no Kubernetes objects</source>
            <translation>The clipboard holds no Kubernetes objects</translation>
        </message>
        <message>
            <source>Import %1</source>
            <translation>Import %1</translation>
        </message>
        <message>
            <source>Paste %n objects</source>
            <translation>Paste %n objects</translation>
        </message>
        <message>
            <source>Paste %1</source>
            <translation>Paste %1</translation>
        </message>
        <message>
            <source>Duplicate</source>
            <translation>Duplicate</translation>
        </message>
    </context>
    <context>
        <name>LiveCharts</name>
        <message>
            <source>Drops/s by reason</source>
            <translation>Drops/s by reason</translation>
        </message>
        <message>
            <source>Latency ms: p50, p90, p99 (1 s average)</source>
            <translation>Latency ms: p50, p90, p99 (1 s average)</translation>
        </message>
        <message>
            <source>Fairness (Jain index)</source>
            <translation>Fairness (Jain index)</translation>
        </message>
        <message>
            <source>Service:</source>
            <translation>Service:</translation>
        </message>
        <message>
            <source>Balance</source>
            <translation>Balance</translation>
        </message>
        <message>
            <source>Drops, latency, fairness</source>
            <translation>Drops, latency, fairness</translation>
        </message>
        <message>
            <source>Share of requests (last {0:g} s); — expected</source>
            <translation>Share of requests (last {0:g} s); — expected</translation>
        </message>
        <message>
            <source>Requests/s per pod</source>
            <translation>Requests/s per pod</translation>
        </message>
        <message>
            <source>IPVS connections per pod: active —, inactive - -</source>
            <translation>IPVS connections per pod: active —, inactive - -</translation>
        </message>
        <message>
            <source>no IPVS connections to these pods
(iptables/nftables mode, or no client
reaches them through kube-proxy)</source>
            <translation>no IPVS connections to these pods
(iptables/nftables mode, or no client
reaches them through kube-proxy)</translation>
        </message>
        <message>
            <source>Jain {0:.3f} over the last {1:g} s</source>
            <translation>Jain {0:.3f} over the last {1:g} s</translation>
        </message>
        <message>
            <source>{0} pods · shares over the last {1:g} s</source>
            <translation>{0} pods · shares over the last {1:g} s</translation>
        </message>
    </context>
    <context>
        <name>Snapshot</name>
        <message>
            <source>{0}   ·   kube-proxy {1}   ·   scheduler {2}   ·   timing {3}</source>
            <translation>{0}   ·   kube-proxy {1}   ·   scheduler {2}   ·   timing {3}</translation>
        </message>
        <message>
            <source>Events</source>
            <translation>Events</translation>
        </message>
    </context>
</TS>
