// n8n loads the node and credential from the "n8n" section of package.json; nothing is exported here.
module.exports = {};
