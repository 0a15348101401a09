// The page's words in Chinese (the default: the quality department reads Chinese first) and
// English. Names of KPIs, rules, categories, roles and event types come from the server
// (/api/dashboard/labels), which uses the same names in the monthly report.

const UI = {
  zh: {
    title: '物业客服品质监控',
    switchTo: 'English',
    nav_overview: '概览', nav_trends: '趋势', nav_live: '实时发现', nav_rules: '规则', nav_report: '月报', nav_alerts: '告警',
    live_open: '实时连接', live_down: '连接中断，正在重连…', live_connecting: '正在连接…',
    loading: '加载中…', failed: '加载失败：', retry: '重试', none: '无', back: '返回',
    asOf: '数据截至', zoneNote: '时间均为各小区当地时间', today: '今日', week: '本周', month: '本月',
    scope_day: '日', scope_week: '周', scope_month: '月',
    date: '查看日期', latest: '最新', company: '全公司', community: '小区', name: '名称',
    target: '目标', under: '低于目标', met: '达标', reportedOnly: '仅统计',
    underSummary: (n, m, scope) => `${scope}有指标未达标的小区：${n} / ${m}`,
    search: '搜索小区编码或名称', onlyUnder: '仅显示未达标', basis: '达标判断', sort: '排序',
    sort_code: '按编码', sort_under: '未达标数（多→少）', sort_kpi: k => `${k}（低→高）`,
    page: (a, b, n) => `第 ${a}–${b} 条，共 ${n} 条`, prev: '上一页', next: '下一页',
    legend: '▼ 低于目标　点击数值查看其背后的工单',
    clickCompany: '点击数值：按该指标从低到高排列小区',
    trends_title: '指标趋势', kpi: '指标', months: '月数', communities: '小区（逗号分隔）',
    worstDefault: '默认：最近一个月最低的 8 个小区', apply: '应用', line90: t => `目标 ${t}`,
    categories_title: '各类投诉（按月）', categoryScope: '范围', total: '合计',
    live_title: '实时发现', rule: '规则', kind: '类型', role: '通知角色', all: '全部',
    newBadge: '新', subject: '对象', at: '时间', due: '期限', clause: '条款', details: '详情',
    rulesVersion: '规则版本', liveHint: '新发现通过服务器推送实时出现，无需刷新。',
    drill_title: '指标明细', numerator: '分子', denominator: '分母',
    in_all: n => `全部（分母）${n}`, in_numerator: n => `计入分子 ${n}`, in_other: n => `未计入分子 ${n}`,
    ticket: '工单', ticketKind: '类别', category: '投诉分类', received: '受理时间', summary: '内容',
    breached: '违规规则', inNumerator: '计入分子', yes: '是', no: '否',
    findingsMode: '该指标不是按工单统计的；以下为相应规则在该期间的发现。',
    ticket_title: '工单时间线', events: '事件', deadlines: '时限', findings: '发现',
    state: '状态', startsAt: '起算', settledAt: '完成时间', explain: '计算说明', note: '备注',
    timeline: '时间线', event: '事件', finding: '发现', channel: '渠道', household: '房号',
    validity: '有效性', urgency: '紧急程度', incident: '事件编号', open: '处理中', closed: '已处理',
    currentRules: '当前规则版本', producedBy: '产生该发现的规则版本', by: '经办人',
    rules_title: '规则命中', from: '从', to: '到', thisMonth: '本月', lastMonth: '上月', allTime: '全部时间',
    hits: '命中', violation: '违规', alert: '警报', warning: '预警', communitiesHit: '涉及小区',
    ever: '累计', file: '文件', neverFired: '期间内从未触发的规则', neverEver: '（从未触发过）',
    noneNever: '所有已加载的规则在此期间都有命中。', perCommunity: r => `按小区：${r}`,
    report_title: '月度统计报告（CODE 4.12.1）', download: '下载', preview: '预览',
    reportNote: '各小区的指标、各类投诉、集体/重大/重复投诉数以及各规则违规数；各小区按其时区的自然月统计。',
    notFound: '未找到',
    nav_times: '耗时', times_title: '处理耗时（中位数 / 90% 分位）', median: '中位数', p90: '90%分位',
    timesNote: '本期受理的工单：联系、答复、到场、完成均从受理起算，回访从首次完成起算；右侧为规则（@measures）对应的手册时限。',
    metric_contact: '联系业户', metric_reply: '答复业户', metric_arrival: '到场', metric_resolution: '处理完成', metric_follow_up: '回访',
    'metric_follow-up': '回访', group_community: '小区', group_category: '投诉分类', group_channel: '渠道',
    handbookLimit: '手册时限', selectedTotal: '所选小区合计', limit_sameDay: '当日', limit_wd: n => `${n}个工作日`,
    dur_m: m => `${m} 分钟`, dur_hm: (hr, m) => `${hr} 小时 ${String(m).padStart(2, '0')} 分`, dur_dh: (d, hr) => `${d} 天 ${hr} 小时`,
    scheduled_title: '定时报告（期末自动生成并发送）', generatedAt: '生成时间', partialCol: '部分期间', sentTo: '发送',
    report_monthly: '月报', report_weekly: '周报', partialFrom: f => `是：数据自 ${f} 起`,
    ownTotal: '所辖小区合计', by_month: '按月', by_week: '按周', by_day: '按日', grain: '粒度', compareWith: '对比',
    people_title: '人员与岗位', nav_people: '人员', person_title: '人员明细', staff: '工号', roles: '岗位',
    ticketsTaken: '受理工单', owned: '负责时限', metCount: '按时完成', breachedCount: '违规', openCount: '未到期',
    timeliness: '及时率', breachesByRule: '违规（按规则）', unnamed: '未指明个人（仅岗位）', communityTotal: '本小区合计',
    byPerson: '按人员', byRole: '按岗位', period: '期间', periodHint: '月 2026-03、周 2026-W10 或日 2026-03-02',
    noData: p => `${p} 没有数据：该期间没有受理工单，也没有到期的时限。`, limits: '负责的时限', owner: '负责人',
    peopleNote: '每条时限的负责人由规则的 @owner 指定（首问责任：受理人；派单：接单部门；巡楼：楼管员）；时限按到期时间计入期间。',
    logout: '退出登录', alerts_title: '告警收件箱', alert_title: '告警', silences_title: '静默', roster_title: '值班表',
    nav_silences: '静默', nav_roster: '值班表',
    mine: '我的告警', allVisible: '可见的全部告警', status: '状态', escalation: '升级', count: '条数',
    sentAt: '发出时间', ackDue: '确认期限', ackedBy: '确认人', ack: '确认', acked: '已确认',
    ackDone: who => `已由 ${who} 确认`, emergency: '紧急', openedAt: '首次发现', currentRole: '当前负责',
    routedRole: '最初发给', notYours: '此告警不是发给您负责的角色，您不能确认',
    escalationPath: '处理经过', deliveries: '投递', receiver: '接收方', attempts: '尝试次数', lastError: '最近错误',
    foldedAway: n => `另有 ${n} 条已归并`, foldedUnder: '归并到', openAlert: '查看',
    silenceThis: '静默此类告警', reason: '原因', duration: '时长', expiresAt: '到期', author: '提交人',
    createSilence: '添加静默', endSilence: '结束', extendSilence: d => `从现在起延长 ${d}`, renewSilence: d => `重新启用 ${d}`, active: '生效中', expired: '已结束', showExpired: '显示已结束的',
    anyCommunity: '所有小区', anyRule: '所有规则', silenceMatches: n => `当前有 ${n} 条告警符合此静默`,
    address: '地址', add: '添加', remove: '删除', secret: '签名密钥（可选）', sendFailed: '最近一次发送失败，将自动重试', mentions: '@手机号（企业微信/钉钉，逗号分隔）',
    alertsHint: '按时间从新到旧；时间为各小区当地时间。',
    st: {collecting: '等待汇总', held: '免打扰时段暂缓', sent: '待确认', acked: '已确认', silenced: '已静默',
      folded: '已归并', withdrawn: '已撤回'},
    act: {sent: '发出', escalated: '升级', held: '暂缓', silenced: '静默', folded: '归并', 'folded-in': '归入',
      acked: '确认', withdrawn: '撤回', updated: '更新', digested: '升级（每日汇总）'},
    dl: {pending: '待发送', delivered: '已送达', failed: '失败', sending: '发送中'},
    dur: {'1h': '1 小时', '2h': '2 小时', '4h': '4 小时', '1d': '1 天', '3d': '3 天', '7d': '7 天'},
    fields: {summary: '内容', note: '进展', reason: '原因', by: '经办人', to: '对象', method: '方式', satisfied: '满意',
      score: '评分', onSpot: '现场解决', replyBy: '约定答复时间', arriveBy: '约定到场时间', flag: '标记', special: '专题报告',
      validity: '有效性', category: '分类', urgency: '紧急程度', incident: '事件编号', channel: '渠道', household: '房号',
      persons: '人数', line: '线路', rings: '响铃次数', maxRings: '最多响铃', missed: '未接', alsoNotify: '同时通知',
      earlier: '此前工单', followUp: '回访工单', households: '房号', tickets: '工单', observedAt: '获知时间', receivedAt: '受理时间'},
    // deadlines and details in words (explain.js), from the findings' structured facts
    wd: ['周一', '周二', '周三', '周四', '周五', '周六', '周日'],
    lim: {min: n => `${n} 分钟`, h: n => `${n} 小时`, day: n => `${n} 天`, wd: n => `${n} 个工作日`, sameDay: '当日内（24:00 前）',
      endOfDay: '当天结束前', endOfNextDay: '次日结束前', agreed: '与业户约定的时间'},
    sb: {received: '受理', resolved: '处理完成', reopened: '重新处理', dispatched: '派单', contacted: '联系业户', fixed: '整改完成',
      'inspection day': '巡查日', 'resolved on the spot': '现场解决', 'found on patrol': '巡查发现', 'handling done': '处理完毕',
      'observed by field staff': '现场人员获知', 'owner dissatisfied at follow-up': '回访业户不满意', 'progress reported': '告知进展',
      'classified an emergency': '改为紧急', 'classified assist': '改为协助处理投诉', 'classified invalid': '改为无效投诉',
      building: b => `楼栋 ${b} 巡查日`, patrolDay: d => `${d} 巡查日结束`},
    dayKind: {'working day': '工作日', 'provisional working day': '暂定工作日', weekend: '周末', holiday: '节假日', 'make-up working day': '调休上班'},
    clockFrom: (by, at) => `${by}于 ${at} 起算`, limitIs: l => `时限 ${l}`,
    calendarNote: c => `${c === 'cn' ? '按国家法定节假日及调休' : '按日历 ' + c}计算工作日，当天不计`,
    skipped: d => `跳过 ${d}`, counted: d => `计入工作日 ${d}`, dueIs: d => `期限 ${d}`, warnedAt: p => `已用去 ${p}% 的时间仍未完成`,
    listSep: '、', partSep: '；',
    notes: {'met late': '逾期后完成', 'dispatched: the clock runs from the dispatch': '已派单：从派单起计时',
      'visit time agreed with the owner': '已与业户约定上门时间', 'reopened: the handling goes on': '重新处理：继续跟进',
      'a new reply time was agreed': '已约定新的答复时间', classified: v => `已改为${v}`, replyAgreed: d => `已与业户约定答复时间：${d}`},
    reasons: {persons: '人数达到重大投诉标准', media: '媒体曝光', lawsuit: '诉讼', open: '超期未解决'},
    kpiLine: (k, period, v, n, d, target) => `${k} ${period}：${v}${n != null ? `（${n}/${d}）` : ''} · 目标 ${target}`,
    httpStatus: {400: '请求有误，请检查输入', 401: '需要登录', 403: '无权查看或操作', 404: '未找到', 409: '与当前状态冲突',
      413: '内容过大', 429: '请求过于频繁，请稍后再试', 500: '服务内部错误', 503: '服务暂不可用，请稍后重试'},
    httpOther: s => `请求失败（${s}）`, tokenLabel: '访问令牌', login: '登录', badToken: '令牌无效或已停用',
    sentOk: to => `已发送至 ${to}`, notSent: '发送失败', noRecipients: '未发送：值班表中没有收件邮箱',
    noSmtp: '未发送：尚未设置邮件服务器',
  },
  en: {
    title: 'Customer-service quality monitor',
    switchTo: '中文',
    nav_overview: 'Overview', nav_trends: 'Trends', nav_live: 'Live findings', nav_rules: 'Rules', nav_report: 'Monthly report', nav_alerts: 'Alerts',
    live_open: 'Live', live_down: 'Disconnected, reconnecting…', live_connecting: 'Connecting…',
    loading: 'Loading…', failed: 'Could not load: ', retry: 'Retry', none: 'None', back: 'Back',
    asOf: 'Data as of', zoneNote: "Times are in each community's own time zone", today: 'Today', week: 'This week', month: 'This month',
    scope_day: 'D', scope_week: 'W', scope_month: 'M',
    date: 'Date', latest: 'Latest', company: 'Company', community: 'Community', name: 'Name',
    target: 'Target', under: 'Under target', met: 'Met', reportedOnly: 'Reported only',
    underSummary: (n, m, scope) => `Communities with a KPI under target (${scope}): ${n} / ${m}`,
    search: 'Search code or name', onlyUnder: 'Only under target', basis: 'Judge by', sort: 'Sort',
    sort_code: 'By code', sort_under: 'KPIs under target (most first)', sort_kpi: k => `${k} (lowest first)`,
    page: (a, b, n) => `${a}–${b} of ${n}`, prev: 'Previous', next: 'Next',
    legend: '▼ under target · click a value to see the tickets behind it',
    clickCompany: 'Click a value to rank the communities by that KPI, lowest first',
    trends_title: 'KPI trends', kpi: 'KPI', months: 'Months', communities: 'Communities (comma list)',
    worstDefault: 'Default: the 8 lowest in the latest month', apply: 'Apply', line90: t => `Target ${t}`,
    categories_title: 'Complaints per category per month', categoryScope: 'Scope', total: 'Total',
    live_title: 'Live findings', rule: 'Rule', kind: 'Kind', role: 'Notified role', all: 'All',
    newBadge: 'new', subject: 'Subject', at: 'Time', due: 'Due', clause: 'Clause', details: 'Details',
    rulesVersion: 'Rules version', liveHint: 'New findings appear as the server pushes them, without reloading.',
    drill_title: 'KPI drill-down', numerator: 'Numerator', denominator: 'Denominator',
    in_all: n => `All (denominator) ${n}`, in_numerator: n => `In numerator ${n}`, in_other: n => `Not in numerator ${n}`,
    ticket: 'Ticket', ticketKind: 'Kind', category: 'Category', received: 'Received', summary: 'Summary',
    breached: 'Rules breached', inNumerator: 'In numerator', yes: 'yes', no: 'no',
    findingsMode: "This KPI is not counted per ticket; these are the findings of its rule in the period.",
    ticket_title: 'Ticket timeline', events: 'Events', deadlines: 'Deadlines', findings: 'Findings',
    state: 'State', startsAt: 'Clock started', settledAt: 'Settled', explain: 'How it was computed', note: 'Note',
    timeline: 'Timeline', event: 'Event', finding: 'Finding', channel: 'Channel', household: 'Household',
    validity: 'Validity', urgency: 'Urgency', incident: 'Incident', open: 'Open', closed: 'Handled',
    currentRules: 'Current rules version', producedBy: 'Rules version that produced it', by: 'By',
    rules_title: 'Rule hits', from: 'From', to: 'To', thisMonth: 'This month', lastMonth: 'Last month', allTime: 'All time',
    hits: 'Hits', violation: 'Violations', alert: 'Alerts', warning: 'Warnings', communitiesHit: 'Communities',
    ever: 'All time', file: 'File', neverFired: 'Rules that never fired in the period', neverEver: ' (never fired at all)',
    noneNever: 'Every loaded rule fired in this period.', perCommunity: r => `Per community: ${r}`,
    report_title: 'Monthly statistics (CODE 4.12.1)', download: 'Download', preview: 'Preview',
    reportNote: "Each community's KPIs, complaints per category, collective, major and repeat complaints and violations per rule; each community's month in its own time zone.",
    notFound: 'Not found',
    nav_times: 'Times', times_title: 'How long things take (median / 90th percentile)', median: 'Median', p90: '90th pct',
    timesNote: 'Tickets received in the period: contact, reply, arrival and resolution from receipt, follow-up from the first resolution; beside each, the handbook limits of the rules that measure it (@measures).',
    metric_contact: 'Contact', metric_reply: 'Reply', metric_arrival: 'Arrival', metric_resolution: 'Resolution', metric_follow_up: 'Follow-up',
    'metric_follow-up': 'Follow-up', group_community: 'Community', group_category: 'Category', group_channel: 'Channel',
    handbookLimit: 'Handbook limit', selectedTotal: 'Selected communities (total)', limit_sameDay: 'same day', limit_wd: n => `${n} working days`,
    dur_m: m => `${m} min`, dur_hm: (hr, m) => `${hr} h ${String(m).padStart(2, '0')} min`, dur_dh: (d, hr) => `${d} d ${hr} h`,
    scheduled_title: 'Scheduled reports (made and sent at the period\'s end)', generatedAt: 'Generated', partialCol: 'Partial period', sentTo: 'Sent',
    report_monthly: 'Monthly', report_weekly: 'Weekly', partialFrom: f => `yes: data from ${f}`,
    ownTotal: 'Your communities (total)', by_month: 'By month', by_week: 'By week', by_day: 'By day', grain: 'By', compareWith: 'Compare',
    people_title: 'People and roles', nav_people: 'People', person_title: 'Person', staff: 'Staff id', roles: 'Roles',
    ticketsTaken: 'Tickets taken', owned: 'Limits owned', metCount: 'Met in time', breachedCount: 'Breached', openCount: 'Still open',
    timeliness: 'Timeliness', breachesByRule: 'Breaches by rule', unnamed: 'No person named (role only)', communityTotal: "Community's total",
    byPerson: 'By person', byRole: 'By role', period: 'Period', periodHint: 'month 2026-03, week 2026-W10 or day 2026-03-02',
    noData: p => `No data for ${p}: no tickets taken and no time limits due in the period.`, limits: 'Time limits owned', owner: 'Owner',
    peopleNote: "Who owns each time limit is the rule's @owner (first asker: who received it; work order: the department dispatched; patrols: the building manager); a limit counts in the period of its deadline.",
    logout: 'Log out', alerts_title: 'Alert inbox', alert_title: 'Alert', silences_title: 'Silences', roster_title: 'Roster',
    nav_silences: 'Silences', nav_roster: 'Roster',
    mine: 'My alerts', allVisible: 'All alerts I can see', status: 'Status', escalation: 'Escalation', count: 'Findings',
    sentAt: 'Sent', ackDue: 'Acknowledge by', ackedBy: 'Acknowledged by', ack: 'Acknowledge', acked: 'Acknowledged',
    ackDone: who => `Acknowledged by ${who}`, emergency: 'Emergency', openedAt: 'First finding', currentRole: 'Now with',
    routedRole: 'First sent to', notYours: 'This alert is not for a role you answer for; you cannot acknowledge it',
    escalationPath: 'What happened', deliveries: 'Deliveries', receiver: 'Receiver', attempts: 'Attempts', lastError: 'Last error',
    foldedAway: n => `${n} more folded under it`, foldedUnder: 'Folded under', openAlert: 'Open',
    silenceThis: 'Silence alerts like this', reason: 'Reason', duration: 'For', expiresAt: 'Expires', author: 'By',
    createSilence: 'Add silence', endSilence: 'End', extendSilence: d => `Extend: ${d} from now`, renewSilence: d => `Renew for ${d}`, active: 'Active', expired: 'Ended', showExpired: 'Show ended ones',
    anyCommunity: 'Every community', anyRule: 'Every rule', silenceMatches: n => `${n} alerts now match this silence`,
    address: 'Address', add: 'Add', remove: 'Delete', secret: 'Signing secret (optional)', sendFailed: 'The last attempt failed; it is retried automatically', mentions: '@ mobile numbers (WeCom/DingTalk, comma list)',
    alertsHint: "Newest first; times in each community's own time zone.",
    st: {collecting: 'Collecting', held: 'Held (quiet hours)', sent: 'Awaiting acknowledgement', acked: 'Acknowledged',
      silenced: 'Silenced', folded: 'Folded', withdrawn: 'Withdrawn'},
    act: {sent: 'Sent', escalated: 'Escalated', held: 'Held', silenced: 'Silenced', folded: 'Folded', 'folded-in': 'Folded in',
      acked: 'Acknowledged', withdrawn: 'Withdrawn', updated: 'Updated', digested: 'Escalated (daily digest)'},
    dl: {pending: 'Pending', delivered: 'Delivered', failed: 'Failed', sending: 'Sending'},
    dur: {'1h': '1 hour', '2h': '2 hours', '4h': '4 hours', '1d': '1 day', '3d': '3 days', '7d': '7 days'},
    fields: {summary: 'summary', note: 'note', reason: 'reason', by: 'by', to: 'to', method: 'method', satisfied: 'satisfied',
      score: 'score', onSpot: 'on the spot', replyBy: 'reply by', arriveBy: 'arrive by', flag: 'flag', special: 'special report',
      validity: 'validity', category: 'category', urgency: 'urgency', incident: 'incident', channel: 'channel',
      household: 'household', persons: 'persons', line: 'line', rings: 'rings', maxRings: 'at most', missed: 'missed',
      alsoNotify: 'also notified', earlier: 'earlier tickets', followUp: 'follow-up ticket', households: 'households',
      tickets: 'tickets', observedAt: 'observed', receivedAt: 'received'},
    wd: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
    lim: {min: n => `${n} min`, h: n => `${n} h`, day: n => `${n} ${n === 1 ? 'day' : 'days'}`,
      wd: n => `${n} ${n === 1 ? 'working day' : 'working days'}`, sameDay: 'same day (before 24:00)', endOfDay: 'by the end of the day',
      endOfNextDay: 'by the end of the next day', agreed: 'the time agreed with the owner'},
    sb: {building: b => `patrol day of building ${b}`, patrolDay: d => `patrol day ${d} ended`},
    dayKind: {},
    clockFrom: (by, at) => `${by} ${at}`, limitIs: l => `limit ${l}`, calendarNote: c => `calendar ${c}, the day itself not counted`,
    skipped: d => `skipped ${d}`, counted: d => `working days counted ${d}`, dueIs: d => `due ${d}`,
    warnedAt: p => `still open with ${p}% of the time used`, listSep: ', ', partSep: '; ',
    notes: {classified: v => `classified ${v}`, replyAgreed: d => `reply time agreed with the owner: ${d}`},
    reasons: {persons: 'enough persons for a major complaint', media: 'the press', lawsuit: 'a lawsuit', open: 'open too long'},
    kpiLine: (k, period, v, n, d, target) => `${k} ${period}: ${v}${n != null ? ` (${n}/${d})` : ''} · target ${target}`,
    httpStatus: {400: 'Bad request: check the input', 401: 'Please log in', 403: 'Not allowed', 404: 'Not found',
      409: 'Conflicts with the current state', 413: 'Too large', 429: 'Too many requests, retry shortly', 500: 'Internal error',
      503: 'Temporarily unavailable, retry shortly'},
    httpOther: s => `Request failed (${s})`, tokenLabel: 'API token', login: 'Log in', badToken: 'Unknown or revoked token',
    sentOk: to => `sent to ${to}`, notSent: 'not sent', noRecipients: 'not sent: no e-mail in the roster',
    noSmtp: 'not sent: e-mail is not set up',
  },
};

// ---- Login, who is logged in, late events under review, alert settings (issue 19). A block of its
// own, merged into UI below, so that edits to the words above and these never touch the same lines.
const ACCESS_UI = {
  zh: {
    login_title: '登录', login_user: '用户名', login_password: '密码', login_token: '访问令牌',
    login_useToken: '改用访问令牌', login_usePassword: '改用用户名和密码', login_submit: '登录',
    login_unreachable: '无法连接服务器，请稍后再试', login_tooMany: s => `尝试次数过多，请 ${s} 秒后再试`,
    login_failed: st => `登录失败（${st}）`, whoami: '当前用户',
    accessRole: {admin: '管理员', manager: '小区经理', viewer: '查看', analyst: '规则分析', ingest: '数据接入'},
    nav_review: '迟到事件', nav_settings: '告警设置',
    review_title: '迟到事件复核',
    review_hint: '晚于所属小区时钟到达的事件。允许迟到时长以内的已按事件时间重算（已生效）；超过的仅保存并标记，'
      + '不改变现有发现，下表列出若采纳将发生的变化。是否采纳由人工决定：核实后以新的事件编号重新发送，或不予处理。',
    review_event: '事件', review_at: '事件时间', review_stored: '到达时间', review_late: '迟到', review_status: '处理',
    review_changes: '对发现的影响', review_none: '没有迟到事件。', review_noChange: '无变化',
    reviewStatus: {applied: '已重算生效', flagged: '已标记，未生效'},
    reviewChange: {withdrawn: '已撤回', added: '已新增', 'would-withdraw': '若采纳将撤回', 'would-add': '若采纳将新增'},
    settings_title: '告警设置',
    settings_hint: '修改即时生效（下一次时钟推进时读取），无需重启。留空并保存即恢复默认值。',
    settings_default: v => `默认：${v === '' ? '（空）' : v}`, settings_changed: '已修改', settings_reset: '恢复默认',
    settings_save: '保存修改', settings_saved: n => `已保存 ${n} 项`, settings_nothing: '没有修改',
    settingsGroup: {send: '分组与发送', ack: '确认与升级', quiet: '免打扰与每日汇总', delivery: '投递与邮件',
      other: '报告、权限与链接'},
    setting: {
      'group.window': '汇总窗口（同一小区、规则、类型的发现合并为一条消息）', 'emergency.window': '紧急告警的汇总窗口',
      'emergency.rules': '另外视为紧急的规则（逗号分隔）', 'route.kinds': '发送哪些类型', 'escalate.kinds': '哪些类型未确认时升级',
      'repeat.interval': '同一告警的重复间隔', 'inhibit.sources': '另外作为归并来源的规则（逗号分隔）',
      'ack.timeout': '确认期限（未确认则升级）', 'ack.timeout.': '确认期限', 'escalation.next.': '升级给',
      'quiet.': '免打扰时段', 'digest.': '每日汇总时间',
      'retry.initial': '首次重试间隔', 'retry.max': '最长重试间隔', 'retry.give-up': '放弃重试的期限',
      'http.timeout': '网络请求超时', 'smtp.host': '邮件服务器', 'smtp.port': '邮件服务器端口', 'smtp.from': '发件人地址',
      'smtp.starttls': 'STARTTLS 加密', 'smtp.username': '邮件服务器用户名',
      'report.monthly.roles': '接收月报的角色', 'report.weekly.roles': '接收周报的角色',
      'manager.roles': '未指定职责的小区经理负责的角色', 'public.url': '消息中链接的地址（公网地址）'},
  },
  en: {
    login_title: 'Log in', login_user: 'User name', login_password: 'Password', login_token: 'API token',
    login_useToken: 'Use an API token instead', login_usePassword: 'Use user name and password', login_submit: 'Log in',
    login_unreachable: 'Cannot reach the server; try again later', login_tooMany: s => `Too many attempts; try again in ${s} s`,
    login_failed: st => `Login failed (${st})`, whoami: 'Logged in as',
    accessRole: {admin: 'Administrator', manager: 'Community manager', viewer: 'Viewer', analyst: 'Rules analyst', ingest: 'Ingest'},
    nav_review: 'Late events', nav_settings: 'Alert settings',
    review_title: 'Late events under review',
    review_hint: "Events that arrived behind their community's clock. Those within the allowed lateness were applied by "
      + 'a rebuild; later ones are stored and flagged without changing the findings, and the changes they would make are '
      + 'listed. Taking one is a person\'s call: resend it with a new event id after checking, or leave it.',
    review_event: 'Event', review_at: 'Event time', review_stored: 'Arrived', review_late: 'Late by', review_status: 'Outcome',
    review_changes: 'Effect on findings', review_none: 'No late events.', review_noChange: 'No change',
    reviewStatus: {applied: 'Applied (rebuilt)', flagged: 'Flagged, not applied'},
    reviewChange: {withdrawn: 'Withdrawn', added: 'Added', 'would-withdraw': 'Would withdraw', 'would-add': 'Would add'},
    settings_title: 'Alert settings',
    settings_hint: 'Changes apply at once (read at the next clock tick), no restart. Save an empty value to restore the default.',
    settings_default: v => `Default: ${v === '' ? '(empty)' : v}`, settings_changed: 'Changed', settings_reset: 'Restore default',
    settings_save: 'Save changes', settings_saved: n => `${n} saved`, settings_nothing: 'Nothing changed',
    settingsGroup: {send: 'Grouping and sending', ack: 'Acknowledging and escalation', quiet: 'Quiet hours and daily digest',
      delivery: 'Delivery and e-mail', other: 'Reports, access and links'},
    setting: {
      'group.window': 'Group window (findings of one community, rule and kind go out as one message)',
      'emergency.window': 'Group window of emergencies', 'emergency.rules': 'More rules treated as emergencies (comma list)',
      'route.kinds': 'Kinds sent', 'escalate.kinds': 'Kinds escalated when not acknowledged',
      'repeat.interval': 'Repeat interval of a standing alert', 'inhibit.sources': 'More rules that fold others under them',
      'ack.timeout': 'Acknowledge within (then escalate)', 'ack.timeout.': 'Acknowledge within', 'escalation.next.': 'Escalate to',
      'quiet.': 'Quiet hours', 'digest.': 'Daily digest at',
      'retry.initial': 'First retry after', 'retry.max': 'Longest retry interval', 'retry.give-up': 'Give up after',
      'http.timeout': 'HTTP timeout', 'smtp.host': 'Mail server', 'smtp.port': 'Mail server port', 'smtp.from': 'Sender address',
      'smtp.starttls': 'STARTTLS', 'smtp.username': 'Mail server user',
      'report.monthly.roles': 'Roles that get the monthly report', 'report.weekly.roles': 'Roles that get the weekly report',
      'manager.roles': 'Roles of a manager without duties', 'public.url': 'Address of the links in messages (public URL)'},
  },
};
for (const l of ['zh', 'en']) Object.assign(UI[l], ACCESS_UI[l]);

// ---- Message templates on the settings screen (issue 19): a block of its own, like the one above.
const TEMPLATES_UI = {
  zh: {
    tpl_title: '消息模板', tpl_jump: '转到消息模板 ↓',
    tpl_hint: '每种接收方式的消息措辞（模板）。模板只写文字，机器人消息的格式、长度限制和 @提醒由系统处理。'
      + '保存前会检查语法和变量，并用样例通知试渲染；右侧为实时预览。',
    tpl_channel: {email: '电子邮件', wecom: '企业微信机器人', dingtalk: '钉钉机器人'},
    tpl_default: '默认模板', tpl_stored: (by, at) => `已修改（${by || '—'}，${at}）`,
    tpl_save: '保存模板', tpl_restore: '恢复默认', tpl_saved: '模板已保存，下一条消息起生效', tpl_restored: '已恢复默认模板',
    tpl_nothing: '模板没有修改', tpl_preview: '预览（样例通知）', tpl_previewing: '正在生成预览…',
    tpl_vars: '可用变量', tpl_varsFinding: '在 {{#findings}} … {{/findings}} 之内逐条可用：',
    tpl_varsHint: '{{变量}} 输出值；{{#变量}} … {{/变量}} 在值为真或非空时输出，遇列表逐项重复；{{^变量}} … {{/变量}} 在值为假或空时输出。',
    tpl_sample: {notice: '首次通知', escalation: '升级通知', addendum: '补充通知', resolved: '已恢复通知'},
    tpl_confirmRestore: '恢复该接收方式的默认模板？',
  },
  en: {
    tpl_title: 'Message templates', tpl_jump: 'Go to message templates ↓',
    tpl_hint: "Each receiver kind's wording (Mustache templates). A template writes the text only; the robot's format, "
      + 'the length limit and the @-mentions are handled by the system. Before saving it is checked (syntax, variables) '
      + 'and tried on sample notices; the preview is live.',
    tpl_channel: {email: 'E-mail', wecom: 'WeCom robot', dingtalk: 'DingTalk robot'},
    tpl_default: 'Default template', tpl_stored: (by, at) => `Changed (${by || '—'}, ${at})`,
    tpl_save: 'Save template', tpl_restore: 'Restore default', tpl_saved: 'Template saved; it writes the next message',
    tpl_restored: 'Default template restored',
    tpl_nothing: 'The template is unchanged', tpl_preview: 'Preview (sample notices)', tpl_previewing: 'Rendering the preview…',
    tpl_vars: 'Variables', tpl_varsFinding: 'Inside {{#findings}} … {{/findings}}, for each finding:',
    tpl_varsHint: '{{name}} prints a value; {{#name}} … {{/name}} prints when it is true or not empty, once per item of a list; '
      + '{{^name}} … {{/name}} when it is false or empty.',
    tpl_sample: {notice: 'First notice', escalation: 'Escalation', addendum: 'Addendum', resolved: 'Resolved'},
    tpl_confirmRestore: "Restore this receiver kind's default templates?",
  },
};
for (const l of ['zh', 'en']) Object.assign(UI[l], TEMPLATES_UI[l]);

let lang = localStorage.getItem('pm.lang') === 'en' ? 'en' : 'zh';
let labels = {};

export function currentLang() { return lang; }

export function setLang(l) {
  lang = l === 'en' ? 'en' : 'zh';
  localStorage.setItem('pm.lang', lang);
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
}

export async function loadLabels() {
  const r = await fetch('/api/dashboard/labels?lang=' + lang);
  labels = await r.json();
}

/** A UI string; function entries take arguments. */
export function t(key, ...args) {
  const v = UI[lang][key] ?? UI.zh[key] ?? key;
  return typeof v === 'function' ? v(...args) : v;
}

/** One entry of a nested table of UI words (st: statuses, act: log actions, dl: deliveries). */
export function tt(table, key) {
  const m = UI[lang][table] || UI.zh[table] || {};
  return m[key] ?? key;
}

/** A domain name (kpi, rule, category, role, kind, event, ticketKind, state); unknown ids as they are. */
export function label(table, id) {
  if (id == null) return '';
  return (labels[table] && labels[table][id]) || id;
}

export function pct(v) {
  return v == null ? '—' : (v * 100).toFixed(1) + '%';
}

const formats = new Map();

/** 2026-03-02 09:15 (or with seconds) in the given IANA zone, whatever the browser's own zone. */
export function fmtTime(iso, zone, seconds) {
  if (!iso) return '';
  const d = new Date(iso);
  if (isNaN(d)) return String(iso);
  const key = (zone || '') + (seconds ? 's' : '');
  let f = formats.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-GB', {timeZone: zone || 'Asia/Shanghai', year: 'numeric', month: '2-digit',
        day: '2-digit', hour: '2-digit', minute: '2-digit', second: seconds ? '2-digit' : undefined, hourCycle: 'h23'});
    } catch (e) {
      f = new Intl.DateTimeFormat('en-GB', {timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit',
        day: '2-digit', hour: '2-digit', minute: '2-digit', second: seconds ? '2-digit' : undefined, hourCycle: 'h23'});
    }
    formats.set(key, f);
  }
  const p = {};
  for (const part of f.formatToParts(d)) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}` + (seconds ? `:${p.second}` : '');
}

/** The local date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(iso, zone) {
  return fmtTime(iso, zone).slice(0, 10);
}
