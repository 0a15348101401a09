-- Mobile numbers a WeCom or DingTalk group robot @-mentions in the role's messages, so the
-- people on duty get a personal push, not only a group message (issue 19.4). Comma list.
ALTER TABLE roster ADD COLUMN mentions VARCHAR(500);
