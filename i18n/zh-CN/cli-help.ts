// 每个命令和选项的 --help 说明（简体中文），键与英文目录相同。
import type { help as en } from '../en/cli-help.js';

export const help: typeof en = {
  ferry: 'Ferry：跨网数据交换网关。对业务系统进行身份认证，执行策略，检查、加密、存储和转发文件，并对每一步进行审计。',
  '--lang': '消息语言：zh-CN 或 en（默认取自 LC_ALL、LC_MESSAGES、LANG）',
  '--help': '显示命令帮助',
  '--version': '显示版本号',
  help: '显示命令帮助',
  'ferry usage hint': '（加 --help 查看用法）',
  'ferry examples': `
示例：
  ferry demo                                   在临时目录中运行双网演示
  ferry init ./ferry-dev                       生成可直接运行的开发环境，并说明用法
  ferry gateway --config gateway.yaml          启动网关
  ferry send report.pdf --to extranet/archive --gateway https://127.0.0.1:8443
  ferry policy check policy.yaml               校验策略
  ferry log verify --db data/audit.db          校验审计日志
  ferry sim run province                       模拟一个省的网络在故障下运行，并检查无数据丢失
  LANG=en_US.UTF-8 ferry --help                以英文显示（或加 --lang en）`,
  'policy replay examples': `
按每条 'decided' 记录保存的内容（事实、发现、时间、计数器）重放，
因此结果与运行的时间无关。没有裁决会改变时退出码为 0，有裁决会改变时为 1，
用法错误或策略错误时为 2。

示例：
  ferry policy replay policies/new.yaml --log data/audit.db --since 2026-11-01T00:00:00Z
`,
  'policy test examples': `
允许时退出码为 0，拒绝（或测试集中有用例失败）时为 1，用法错误或策略错误时为 2。

示例：
  ferry policy test policies/examples/default.yaml --from police/records --to extranet/archive --label internal --file report.pdf
  ferry policy test policies/examples/default.yaml --from police/a --to extranet/b --finding personal-data:cn-mobile:3
  ferry policy test --suite policies/examples/default.test.yaml
`,
  'policy check examples': `
每个问题按 文件:行:列: 严重程度: 说明 的格式输出。没有文件出错时退出码为 0
（警告照常输出），有文件出错时为 1，用法错误时为 2。

示例：
  ferry policy check policies/examples/default.yaml
`,
  'policy examples': `
示例：
  ferry policy check policies/examples/default.yaml
  ferry policy test policies/examples/default.yaml --from police/records --to extranet/archive --label internal
  ferry policy test --suite policies/examples/default.test.yaml
  ferry policy replay new-policy.yaml --log data/audit.db
`,
  'sim run examples': `
示例：
  ferry sim run province                      内置的省级场景
  ferry sim run my-topology.yaml --seed 7 --report ./sim-report
  ferry sim check my-topology.yaml            只校验
参考：docs/topology.md`,
  'send examples': `
输出传输 id 和网关签名的受理回执。
退出码：0 已受理；1 被拒绝（错误码、说明、规则和发现输出到 stderr）
或回执不符；2 用法错误或连接错误。

示例：
  ferry send report.pdf --to extranet/archive --label internal \\
    --gateway https://127.0.0.1:8443 --cert police-sys1.crt --key police-sys1.key --ca ca.crt \\
    --verify-key signing.pub`,
  'status examples': `
示例：
  ferry status 01936b2e-7c1a-7d3e-9f00-0a1b2c3d4e5f \\
    --gateway https://127.0.0.1:8443 --cert police-sys1.crt --key police-sys1.key --ca ca.crt
  # 或者把连接信息放在环境变量中（send 和 receive 同样适用）：
  export FERRY_GATEWAY=https://127.0.0.1:8443 FERRY_CERT=police-sys1.crt FERRY_KEY=police-sys1.key FERRY_CA=ca.crt
  ferry status 01936b2e-7c1a-7d3e-9f00-0a1b2c3d4e5f
  # 跨多个网关时，投递回执由最后一个网关签发：同时给出它的密钥
  ferry status 01936b2e-7c1a-7d3e-9f00-0a1b2c3d4e5f --verify-key gw1-signing.pub --hop-key gw3-signing.pub`,
  'receive examples': `
SHA-256 与网关公布的不符的文件不会保存，也不会确认；其余文件照常接收。
已保存但确认失败的文件记录在 <out>/.ferry-received.jsonl 中：下次接收到同一
目录时按 id 认出该传输，只补发确认。退出码：0 全部接收；1 有条目被拒绝
或未通过校验；2 用法错误或连接错误。

示例：
  ferry receive --out ./incoming --follow \\
    --gateway https://127.0.0.1:8444 --cert extranet-archive.crt --key extranet-archive.key --ca ca.crt`,
  'admin notes': `
连接方式：--admin https://127.0.0.1:<admin-api port> --cert alice.crt --key alice.key --ca ca.crt
（或环境变量 FERRY_ADMIN、FERRY_ADMIN_CERT、FERRY_ADMIN_KEY、FERRY_CA）。角色取自
gateway.yaml 的 admin.administrators：auditor 可查看列表；sysadmin 可查看列表、重试和
取消；sysadmin 和 secadmin 可重新加载；sysadmin 可轮换网关密钥
（ferry keys rotate --admin）。每个操作都会记入审计日志，并注明操作人。`,
  'log verify examples': `
依次检查：每条记录的字段和规范字节、它的链式链接、它的哈希；已存储的 Merkle
节点；每个检查点的根、前沿、签名以及与前一个检查点的一致性；最后一条记录之后的
检查点；--against。
对于目录：逐个段按上述方式检查，再检查所有段是否属于同一网关、每个段的第一条
记录是否承接前一个段的最后一个检查点，以及开头缺失的段是否已记录为已清理。
全部通过时退出码为 0；为 1 时指出第一个出错的序号和检查项；用法错误时为 2。

示例：
  ferry log verify --db data/audit.db --pubkey-file gw1.vkey --against /mnt/sec/gw1.checkpoint
  ferry log verify --db data --pubkey-file gw1.vkey          （audit-segments/ 和 audit.db 作为整体）
  ferry log verify --db /archive/gw1/audit-segments --pubkey-file gw1.vkey`,
  'log trace examples': `
每个日志都用给出的密钥及其数据目录中的 keys/audit.vkey 进行校验（记录、链、
Merkle 树、签名检查点）。每个日志都通过校验且找到了该传输时退出码为 0；否则为 1。

示例：
  ferry log trace 01a2… --db gw-police-extranet/data/audit.db --db gw-extranet-social/data/audit.db
  ferry log trace 01a2… --dir collected-logs/   # gw-a.db、gw-b.db、gw-a.vkey、gw-b.vkey …`,
  'log prove examples': `
示例：
  ferry log prove --db data/audit.db 0192f1c4-7a00-7000-8000-000000000001 --out t1.proof
  ferry log check-proof t1.proof --pubkey-file gw1.vkey`,
  'log check-proof examples': `
示例：
  ferry log check-proof t1.proof --pubkey 'ferry.gateway/gw1+1a2b3c4d+AUi…='`,
  'log consistency examples': `
示例：
  ferry log consistency --db data/audit.db --from 1000 --to 5000 --out c.proof`,
  'log query examples': `
给出 data/audit.db（或数据目录）时，同时读取其旁边 audit-segments/ 中已封存的段，
从最早的开始，最后读取当前日志；给出时间范围时，跳过完全在范围之外的段。
记录的 SEQ 在其所在段内计数。

示例：
  ferry log query --db data/audit.db --source police/records --verdict deny --since 2026-11-01 --limit 50`,
  'log export examples': `
与 query 一样，也读取 data/audit.db 旁边已封存的段。

示例：
  ferry log export --db data/audit.db --format csv --since 2026-11-01 --until 2026-12-01 --out november.csv`,
  'log tail examples': `
示例：
  ferry log tail --db data/audit.db --event denied --json`,
  'gateway examples': `
先校验配置；文件有误时以状态 2 退出，并为每个问题给出 file:line:column。
SIGINT/SIGTERM 使网关正常停止；SIGHUP（或 'ferry admin reload'）重新加载策略、
关键词列表、目的地、路由、TLS 文件和 CRL，并记录哪些有变化、哪些需要重启。
TLS 文件和 CRL 发生变化时也会自动重新加载。

所有监听端口绑定完成后，网关在 stdout 上输出一行 JSON（如给出 --ready-file，
也写入该文件），供进程管理器或测试等待：
  {"event":"ready","pid":1234,"gateway":"ferry://gateway/gw1","ports":{"police":8443,"extranet":8444},"admin":8445}

示例：
  ferry gateway --config ./ferry-dev/gateway.yaml`,
  'init examples': `
示例：
  ferry init ./ferry-dev && ferry gateway --config ./ferry-dev/gateway.yaml`,
  'demo examples': `
示例：
  ferry demo            （npm start 运行的就是它）`,
  'inspect examples': `
发现使用 docs/findings.md 中的术语。个人信息一律掩码显示，绝不显示原文。
退出码：每个文件都完成检查时为 0，无论发现了什么；有文件无法读取、检查器
本身出错（inspection-limit:worker）或选项有误时为 2。

示例：
  ferry inspect report.pdf
  ferry inspect --json --clamd 127.0.0.1:3310 --keywords keywords.txt outbox/*
`,
  'keys init examples': `
私钥以 0600 权限创建，绝不输出。输出的那一行是验证公钥：对端把它写在
peers.<name>.key 下（可以是这段文本本身，也可以是 audit.vkey 文件的路径），
'ferry log verify --pubkey' 也接受它。

示例：
  ferry keys init --data-dir ./gw-police-extranet/data --name gw-police-extranet
  ferry keys init --config ./gw-police-extranet/gateway.yaml`,
  'keys rotate examples': `
运行中的网关：使用 --admin 和一个 sysadmin 的证书（与 'ferry admin' 相同；
或环境变量 FERRY_ADMIN、FERRY_ADMIN_CERT、FERRY_ADMIN_KEY、FERRY_CA）。网关在
自己的审计日志中写入 key-rotated，并自该记录起改用新密钥签发回执、检查点和
加密新数据；进行中的传输照常继续。
已停止的网关：使用 --data-dir（数据目录锁会拒绝正在运行的网关）。

旧私钥保存在 <data-dir>/keys/retired/ 中（用旧密钥加密的暂存文件在投递之前
仍可读取）。只给出第一个公钥时，'ferry log verify' 也能跨越轮换校验整个日志。
列出了本网关密钥（peers.<name>.key）的对端需要换成这里输出的新密钥。

示例：
  ferry keys rotate --admin https://127.0.0.1:8444 --cert alice.crt --key alice.key --ca ca.crt
  ferry keys rotate --data-dir /var/lib/ferry/gw1`,
  'list examples': `
示例：
  ferry list --state denied,failed --since today`,
  'publish examples': `
消息逐条发送，因此保持给定的顺序。目的地的积压已满（FERRY_BACKLOG_FULL）时，
按网关给出的 retry-after 等待后，以同一个幂等键重新发送该消息（绝不会发送两次）。
每条消息输出一行：已受理及其传输 id，或拒绝信息。
退出码：0 全部受理；1 有消息被拒绝；2 用法错误或连接错误。

示例：
  tail -f events.log | ferry publish --channel events --to extranet/feed --label public
  ferry publish --channel cases --to extranet/feed notice.json --content-type application/json`,
  'subscribe examples': `
一直运行，直到被中断（或达到 --max），连接断开时自动重连；消息只有在交出之后
才会确认，因此任何地方崩溃都不会丢失数据；再次收到的消息按序号识别，不会交出
两次。命令执行失败时订阅停止（退出码 1）；该消息未被确认，下次会再次收到。
退出码：0 完成（达到 --max 或被中断）；1 有消息无法交出；2 用法错误、连接
错误或协议关闭（4400、4409、4416）。

示例：
  ferry subscribe --channel cases --out ./incoming
  ferry subscribe --channel cases --exec './handle-case.sh' --state ./cases.seq
  ferry subscribe --channel cases --jsonl --from 1200 | jq .body`,
  'certs examples': `
示例：
  ferry certs init --dir ./pki
  ferry certs issue --dir ./pki --id ferry://police/sys1 --name sys1
  ferry certs issue --dir ./pki --id ferry://extranet/archive --name archive --server
  ferry certs issue --dir ./pki --id ferry://gateway/gw1 --name gw1 --dns gw1.example.org
  ferry certs show ./pki/sys1.crt
  ferry certs show --dir ./pki
  ferry certs revoke --dir ./pki --id ferry://police/sys1 --reason key-compromise
  ferry certs renew --dir ./pki --name gw1`,
  'certs init examples': `
示例：
  FERRY_CA_PASS=... ferry certs init --dir ./pki --name "Province Data Bureau CA" --passphrase-env FERRY_CA_PASS`,
  'certs issue examples': `
示例：
  ferry certs issue --dir ./pki --id ferry://police/sys1 --name sys1
  ferry certs issue --dir ./pki --id ferry://extranet/archive --name archive --server
  ferry certs issue --dir ./pki --id ferry://gateway/gw1 --name gw1 --dns gw1.internal --ip 10.0.0.5`,
  'certs show examples': `
示例：
  ferry certs show ./pki/sys1.crt --json
  ferry certs show --dir ./pki`,
  'certs revoke examples': `
在 gateway.yaml 中指定了 CRL（tls.crl）的网关会在数秒内重新加载它，并关闭
使用已吊销证书建立的连接。

示例：
  ferry certs revoke --dir ./pki --id ferry://police/sys1 --reason key-compromise`,
  'certs renew examples': `
使用这些文件的网关无需重启即可启用新的密钥和证书。

示例：
  ferry certs renew --dir ./pki --name gw1`,
  '--admin': '管理接口，https://主机:端口（环境变量 FERRY_ADMIN）',
  '--code': '拒绝错误码，例如 FERRY_CONTENT_DENIED',
  '--data-dir': '网关的 data_dir',
  '--days': '有效天数',
  '--db': '审计数据库',
  '--destination': '目的地',
  '--dir': 'CA 所在目录',
  '--event': '事件（received、decided、denied 等）',
  '--finding': '带有此类检查发现的记录，例如 personal-data',
  '--gateway': '本网络一侧的网关监听地址，https://主机:端口（环境变量 FERRY_GATEWAY）',
  '--limit': '至多这么多条记录',
  '--out': '将证明写到此处，而不是标准输出',
  '--passphrase-env': '存放 CA 私钥口令的环境变量',
  '--principal': '主体，例如 ferry://police/records',
  '--pubkey-file': '存放验证密钥的文件，每行一个',
  '--rule': '规则标识',
  '--since': '不早于此时间：ISO 8601、today 或 yesterday（按 TZ 的本地零点）、24h、7d',
  '--source': '来源',
  '--until': '早于此时间（ISO 8601）',
  '--verdict': 'allow（允许）或 deny（拒绝）',
  '--verify-key': '网关的 Ed25519 signing.pub（PEM）：用于校验回执签名',
  '<topology>': '拓扑文件，或内置名称（two-networks、province、stress）',
  'admin': '通过管理接口管理运行中的网关，使用管理员证书（ferry://admin/<名称>）',
  'admin cancel': '放弃一项尚待投递的传输：其状态变为 failed，暂存数据被删除',
  'admin reload': '重新加载策略、关键词表、目的地、路由和 TLS 文件（与 SIGHUP 作用相同）',
  'admin retry': '立即尝试投递一项等待中的传输',
  'admin retry <id>': '传输标识',
  'admin transfers': '列出尚待投递的传输（或按 --state 筛选），最新的在前，并按目的地计数',
  'admin transfers --ca': '网关 CA（环境变量 FERRY_CA）',
  'admin transfers --cert': '您的管理员证书（环境变量 FERRY_ADMIN_CERT）',
  'admin transfers --destination': '只显示此目的地',
  'admin transfers --json': '以 JSON 输出答复',
  'admin transfers --key': '其私钥（环境变量 FERRY_ADMIN_KEY）',
  'admin transfers --limit': '至多这么多条',
  'admin transfers --state': '以逗号分隔的状态（默认 queued,forwarding）',
  'certs': '私有 PKI：一个 CA，以及以 ferry:// URI 为身份的证书。',
  'certs crl': '根据 revoked.jsonl 签发新的吊销列表：须在当前列表下次更新时间之前运行（例如每天由 cron 运行）。',
  'certs crl --days': '距下次更新的天数',
  'certs init': '创建证书颁发机构：ca.crt 和 ca.key（权限 0600，可用 --passphrase-env 加密）。',
  'certs init --dir': 'CA 所在目录（将创建，权限 0700）',
  'certs init --name': 'CA 的通用名称',
  'certs init --passphrase-env': '用此环境变量中的口令加密 ca.key',
  'certs issue': '签发证书：业务系统为 ferry://<网络>/<系统>（TLS 客户端），网关为 ferry://gateway/<名称>（TLS 服务端和客户端）。',
  'certs issue --dir': 'CA 所在目录；<name>.crt 和 <name>.key 写在其中',
  'certs issue --dns': '网关的附加 DNS 名称（可重复；始终包含 localhost）',
  'certs issue --id': '身份：ferry://<网络>/<系统> 或 ferry://gateway/<名称>',
  'certs issue --ip': '网关的附加 IP 地址（可重复；始终包含 127.0.0.1 和 ::1）',
  'certs issue --name': '通用名称和文件名',
  'certs issue --server': '接收推送投递的系统：使其证书也可用于 TLS 服务端',
  'certs renew': '为同一身份生成新的私钥和证书，替换 <name>.key 和 <name>.crt（旧的一对保留为 <name>.<serial>.*）。',
  'certs renew --name': '签发证书时使用的名称',
  'certs revoke': '吊销一张证书（按序列号）或某一身份的全部有效证书，并写出由 CA 签名的新吊销列表（ca.crl）。',
  'certs revoke --days': '距吊销列表下次更新的天数',
  'certs revoke --id': '吊销此身份所有未过期的证书',
  'certs revoke --reason': '取值之一：{{reasons}}',
  'certs revoke --serial': '证书序列号（见 issued.jsonl 或 ferry certs show）',
  'certs show': '显示证书（主体、ferry 身份、有效期、序列号、SHA-256）；加 --dir 时列出 CA 签发的全部证书及到期时间。',
  'certs show --dir': '列出 CA、其吊销列表和签发的每张证书，含到期时间和状态',
  'certs show --json': '输出 JSON',
  'certs show --warn-days': '与 --dir 一起使用：标出在这么多天内到期的证书',
  'certs show <file>': '证书文件（PEM 或 DER）',
  completion: '输出 shell 自动补全脚本：source <(ferry completion bash)',
  'completion <shell>': 'bash 或 zsh',
  'demo': '运行内置演示：在临时目录中建立开发用 PKI 和连接两个网络的网关，发送样例文件，经检查后拒绝或投递，并校验审计日志。',
  'demo --keep': '保留临时目录',
  'destinations': '列出网关可为本系统传输到达的目的地（每次传输仍由策略判定）',
  'gateway': '启动网关：每个网络一侧一个双向 TLS 监听端口，外加管理监听端口和转发器。',
  'gateway --check': '校验配置后退出',
  'gateway --config': '网关配置文件 gateway.yaml',
  'gateway --ready-file': '开始监听后，将就绪信号（一行 JSON）原子地写入此文件',
  'init': '生成可直接运行的双网开发环境：开发用 PKI、带注释的 gateway.yaml、一份策略，以及一个发送方和两个接收方的证书。',
  'init --port-base': '五个连续端口中的第一个：police、extranet、管理端口、推送接收端、管理接口和控制台',
  'init <dir>': '要创建的目录（其中不得已有 PKI）',
  'inspect': '用网关的检查器检查文件：类型、密级标志、关键词、个人信息、压缩包、病毒查杀。',
  'inspect --clamd': '同时用此 clamd 扫描（INSTREAM）；不指定则不做病毒扫描',
  'inspect --json': '每个文件一行 JSON 对象：{file, sniffedType, size, findings:[{kind, subkind, offset, path, count, sample, detail}]}',
  'inspect --keywords': '运维人员的关键词表，每行一个（# 开头为注释）',
  'inspect --type': '声明的内容类型，用于与内容核对',
  'inspect <files>': '要检查的文件',
  'keys': '网关自身的密钥（Ed25519 签名、X25519 暂存封存）',
  'keys init': '在网关数据目录中创建尚不存在的密钥，写出 keys/audit.vkey 并打印公钥。',
  'keys init --config': '改从此 gateway.yaml 读取 data_dir 和名称',
  'keys init --name': '网关名称（与 --data-dir 一起使用）',
  'keys rotate': '生成新的签名密钥和封存密钥；审计日志记录 key-rotated，由新旧密钥共同签名。运行中的网关：使用 --admin 和系统管理员证书；已停止的网关：使用 --data-dir。',
  'keys rotate --data-dir': '已停止网关的 data_dir（运行中的网关用 --admin 请求）',
  'list': '列出本系统发出的传输，最新的在前：状态、目的地、大小、名称',
  'list --before': '此传输标识之后的一页（每页末尾以 "more:" 给出）',
  'list --limit': '至多这么多条（1 至 500）',
  'list --since': '创建时间不早于：2026-11-29、ISO 时间、today、24h、7d',
  'list --state': '只显示这些状态，以逗号分隔（queued、delivered、denied、failed 等）',
  'list --until': '创建时间早于',
  'log': '查询、导出、跟踪、校验和证明防篡改审计日志',
  'log check-proof': '仅凭网关公钥校验证明文件（由 prove 或 consistency 生成）',
  'log check-proof --pubkey': '网关验证密钥（可重复）',
  'log check-proof <file>': '证明文件',
  'log consistency': '两个已存检查点之间的 RFC 9162 一致性证明',
  'log consistency --from': '较早检查点的大小',
  'log consistency --to': '较新检查点的大小',
  'log export': '以 JSON 行或 CSV 导出记录（流式）',
  'log export --format': 'jsonl 或 csv',
  'log export --out': '写到此处，而不是标准输出',
  'log prove': '某项传输的记录相对最新检查点的包含证明（C2SP tlog-proof）',
  'log prove <transfer-id>': '该传输',
  'log query': '符合筛选条件的记录，以表格显示（加 --json 时为 JSON 行）',
  'log query --desc': '最新的在前',
  'log query --json': 'JSON 行，每条记录一行',
  'log tail': '持续显示新写入的记录（以只读连接轮询）',
  'log tail --interval': '轮询间隔',
  'log tail --json': 'JSON 行',
  'log tail --lines': '先显示这么多条最近的记录',
  'log trace': '某项传输跨网关的时间线：合并各网关的审计日志，每份先经校验',
  'log trace --dir': '存放收集来的日志的目录：其中每个审计数据库，以及作为密钥的 .vkey 文件（可重复）',
  'log trace --db': '审计数据库，每个网关一个（可重复）',
  'log trace --json': '以 JSON 输出日志和时间线',
  'log trace --pubkey': '网关验证密钥（可重复）；各数据库旁的 audit.vkey 也会使用',
  'log trace <transfer-id>': '该传输（其标识在每一跳都相同）',
  'log verify': '重新计算日志的每一层，并指出第一条校验失败的记录',
  'log verify --against': '另处保存的较新检查点；用于发现截断和回滚',
  'log verify --db': '审计数据库；或分段目录（segment-*.db，以及数据目录中的 audit.db 和 audit-segments/）',
  'log verify --json': '以 JSON 输出报告',
  'log verify --pubkey': '网关验证密钥 <name>+<keyid>+<base64>（可重复）',
  'policy': '检查、试运行和回放传输策略（参见 docs/policy-language.md）。',
  'policy check': '校验策略文件：结构、网络、通配符、区域、重复标识、不可达或被遮蔽的规则。',
  'policy check <files>': '策略文件（YAML）',
  'policy replay': '用此策略重新判定审计日志中记录的每一项决定，并列出会发生变化的部分。',
  'policy replay --log': '审计日志（SQLite），以只读方式打开',
  'policy replay --since': '只显示不早于此 ISO 8601 时间的记录',
  'policy replay <file>': '（新的）策略文件',
  'policy test': '按策略试运行一次传输，或运行策略测试集（--suite）。',
  'policy test --declared-type': '声明的媒体类型',
  'policy test --file': '样例文件，用真实的检查器检查',
  'policy test --filename': '发送时的文件名（默认为 --file 的文件名）',
  'policy test --finding': '添加一项检查发现，如同检查器报告的一样（可重复）',
  'policy test --from': '传输的来源',
  'policy test --kind': 'file（文件）或 message（消息）',
  'policy test --label': 'public（公开）、internal（内部）或 sensitive（敏感）',
  'policy test --policy': '与 --suite 一起使用：用此策略代替各测试集指定的策略进行测试',
  'policy test --principal': '已认证的主体（默认为 ferry://<来源>）',
  'policy test --size': '声明的大小（字节）',
  'policy test --sniffed-type': '内容类型，如同从内容识别所得（不带 --file 时）',
  'policy test --suite': '这些文件是策略测试集',
  'policy test --time': '按此时间判定（默认为当前时间）',
  'policy test --to': '传输的目的地',
  'policy test <files>': '策略文件；使用 --suite 时为测试集文件（*.test.yaml）',
  'publish': '在通道上发布消息：标准输入每行一条，或一个文件作为一条消息',
  'publish --channel': '通道，例如 case-updates',
  'publish --content-type': '声明的媒体类型（默认 text/plain; charset=utf-8）',
  'publish --label': '敏感级别：{{labels}}',
  'publish --to': '目的地，例如 extranet/feed',
  'publish <file>': '作为一条消息发送的文件；为 - 或不指定时：标准输入每行一条消息',
  'receive': '取回等待本系统接收的文件，逐一校验哈希值，以安全的文件名保存后确认',
  'receive --follow': '持续轮询收件箱，直至中断',
  'receive --interval': '使用 --follow 时两次轮询之间的间隔',
  'receive --out': '保存文件的目录（不存在时以 0700 创建；文件以 0600 写入，绝不覆盖）',
  'send': '经网关将文件发送给另一网络上的系统',
  'send --ca': '网关证书必须链接到的 Ferry CA 证书（环境变量 FERRY_CA）',
  'send --cert': '本系统的证书，PEM 格式（环境变量 FERRY_CERT）',
  'send --content-type': '声明的媒体类型（默认按扩展名判断）',
  'send --filename': '接收方看到的文件名（默认为文件本身的名称）',
  'send --idempotency-key': '使重试的发送只计一次的键（1 至 128 个可见 ASCII 字符）',
  'send --json': '以 JSON 将结果输出到标准输出',
  'send --key': '本系统的私钥，PEM 格式（环境变量 FERRY_KEY；如已加密，口令在 FERRY_KEY_PASSPHRASE）',
  'send --label': '数据的敏感级别：{{labels}}',
  'send --to': '目的地，例如 extranet/archive',
  'send <file>': '要发送的文件（流式传输，大小不限）',
  'sim': '拓扑模拟器：真实网关、受控链路、故障、负载，并检查无数据丢失',
  'sim check': '校验拓扑文件（问题以 文件:行:列 给出）',
  'sim run': '运行拓扑：PKI、以进程运行的网关、链路代理、故障、负载；随后检查并出具报告。退出码 0 为有效，1 为无效，2 为无法判断',
  'sim run --isolation': 'auto（以 root 运行时使用网络命名空间）、on、off',
  'sim run --report': 'report.json、report.html 和运行目录的存放位置（默认为新建的临时目录）',
  'sim run --seed': '负载的随机种子（默认为拓扑中的种子）',
  'status': '显示本系统所发传输的当前状态：accepted、queued、forwarding、delivered、denied、failed、expired',
  'status --hop-key': '后续网关的 signing.pub（可重复）：校验最后一个网关签发的送达回执',
  'serve-inbox': '接收推送投递：一个双向 TLS 的 HTTPS 端点，文件的 SHA-256 校验一致后以安全的文件名保存，再答复网关',
  'serve-inbox --out': '保存文件的目录（不存在时以 0700 创建；文件以 0600 写入，绝不覆盖）',
  'serve-inbox --listen': '监听的地址和端口，与 gateway.yaml 中该目的地的 url 一致',
  'serve-inbox --cert': '本系统的证书，PEM 格式，须可用于 TLS 服务端（ferry certs issue --server）（环境变量 FERRY_CERT）',
  'serve-inbox --key': '其私钥，PEM 格式（环境变量 FERRY_KEY；如已加密，口令在 FERRY_KEY_PASSPHRASE）',
  'serve-inbox --ca': '推送网关的证书必须链接到的 Ferry CA 证书（环境变量 FERRY_CA）',
  'serve-inbox --gateway-name': '只接受此网关的推送（ferry://gateway/<名称>，可重复）；默认接受该 CA 下的任何网关',
  'serve-inbox --json': '将收到的每个文件以一行 JSON 输出到标准输出',
  'status <id>': 'ferry send 打印的传输标识',
  'subscribe': '按顺序接收本系统在某通道上的消息；每条交付后即确认',
  'subscribe --channel': '通道',
  'subscribe --exec': '每条消息运行一次该命令（sh -c），正文经标准输入传入，环境变量含 FERRY_SEQ、FERRY_TRANSFER_ID、FERRY_SOURCE 等；命令以 0 退出即确认',
  'subscribe --from': '从此序号开始：之前的一切均视为已收到',
  'subscribe --jsonl': '将每条消息以一行 JSON 输出到标准输出（默认）；写出后即确认',
  'subscribe --max': '收到这么多条消息后停止',
  'subscribe --out': '将每条消息写入 <dir>/<seq>.msg（0600，已落盘）；持久保存后即确认',
  'subscribe --state': '在此记录最后交付的序号（已落盘）并从其后续传；使用 --out 时默认为 <dir>/.ferry-subscribe-<channel>',
};
