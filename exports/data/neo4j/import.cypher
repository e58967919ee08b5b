// Load the graph into a running Neo4j (5.x): copy nodes.csv and relationships.csv into the
// database's import folder, then: cypher-shell -f import.cypher
// Into an empty database, the same files load offline with:
//   neo4j-admin database import full --array-delimiter="|" --nodes=nodes.csv --relationships=relationships.csv <database>

CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;

LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row
WITH row WHERE row.`:LABEL` = 'Entity|Company'
MERGE (n:`Entity`:`Company` {id: row.`id:ID`})
SET n.`aliases` = split(row.`aliases:string[]`, '|'),
    n.`description` = row.`description`,
    n.`distinct_from` = split(row.`distinct_from:string[]`, '|'),
    n.`end` = row.`end`,
    n.`facts` = row.`facts`,
    n.`inferred` = toBoolean(row.`inferred:boolean`),
    n.`jurisdiction` = row.`jurisdiction`,
    n.`name` = row.`name`,
    n.`names_ja` = row.`names_ja`,
    n.`names_zh` = row.`names_zh`,
    n.`sources` = split(row.`sources:string[]`, '|'),
    n.`start` = row.`start`,
    n.`type` = row.`type`,
    n.`type_label` = row.`type_label`;

LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row
WITH row WHERE row.`:LABEL` = 'Entity|Concept'
MERGE (n:`Entity`:`Concept` {id: row.`id:ID`})
SET n.`aliases` = split(row.`aliases:string[]`, '|'),
    n.`description` = row.`description`,
    n.`distinct_from` = split(row.`distinct_from:string[]`, '|'),
    n.`end` = row.`end`,
    n.`facts` = row.`facts`,
    n.`inferred` = toBoolean(row.`inferred:boolean`),
    n.`jurisdiction` = row.`jurisdiction`,
    n.`name` = row.`name`,
    n.`names_ja` = row.`names_ja`,
    n.`names_zh` = row.`names_zh`,
    n.`sources` = split(row.`sources:string[]`, '|'),
    n.`start` = row.`start`,
    n.`type` = row.`type`,
    n.`type_label` = row.`type_label`;

LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row
WITH row WHERE row.`:LABEL` = 'Entity|Court'
MERGE (n:`Entity`:`Court` {id: row.`id:ID`})
SET n.`aliases` = split(row.`aliases:string[]`, '|'),
    n.`description` = row.`description`,
    n.`distinct_from` = split(row.`distinct_from:string[]`, '|'),
    n.`end` = row.`end`,
    n.`facts` = row.`facts`,
    n.`inferred` = toBoolean(row.`inferred:boolean`),
    n.`jurisdiction` = row.`jurisdiction`,
    n.`name` = row.`name`,
    n.`names_ja` = row.`names_ja`,
    n.`names_zh` = row.`names_zh`,
    n.`sources` = split(row.`sources:string[]`, '|'),
    n.`start` = row.`start`,
    n.`type` = row.`type`,
    n.`type_label` = row.`type_label`;

LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row
WITH row WHERE row.`:LABEL` = 'Entity|Event'
MERGE (n:`Entity`:`Event` {id: row.`id:ID`})
SET n.`aliases` = split(row.`aliases:string[]`, '|'),
    n.`description` = row.`description`,
    n.`distinct_from` = split(row.`distinct_from:string[]`, '|'),
    n.`end` = row.`end`,
    n.`facts` = row.`facts`,
    n.`inferred` = toBoolean(row.`inferred:boolean`),
    n.`jurisdiction` = row.`jurisdiction`,
    n.`name` = row.`name`,
    n.`names_ja` = row.`names_ja`,
    n.`names_zh` = row.`names_zh`,
    n.`sources` = split(row.`sources:string[]`, '|'),
    n.`start` = row.`start`,
    n.`type` = row.`type`,
    n.`type_label` = row.`type_label`;

LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row
WITH row WHERE row.`:LABEL` = 'Entity|Exchange'
MERGE (n:`Entity`:`Exchange` {id: row.`id:ID`})
SET n.`aliases` = split(row.`aliases:string[]`, '|'),
    n.`description` = row.`description`,
    n.`distinct_from` = split(row.`distinct_from:string[]`, '|'),
    n.`end` = row.`end`,
    n.`facts` = row.`facts`,
    n.`inferred` = toBoolean(row.`inferred:boolean`),
    n.`jurisdiction` = row.`jurisdiction`,
    n.`name` = row.`name`,
    n.`names_ja` = row.`names_ja`,
    n.`names_zh` = row.`names_zh`,
    n.`sources` = split(row.`sources:string[]`, '|'),
    n.`start` = row.`start`,
    n.`type` = row.`type`,
    n.`type_label` = row.`type_label`;

LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row
WITH row WHERE row.`:LABEL` = 'Entity|FinancialProduct'
MERGE (n:`Entity`:`FinancialProduct` {id: row.`id:ID`})
SET n.`aliases` = split(row.`aliases:string[]`, '|'),
    n.`description` = row.`description`,
    n.`distinct_from` = split(row.`distinct_from:string[]`, '|'),
    n.`end` = row.`end`,
    n.`facts` = row.`facts`,
    n.`inferred` = toBoolean(row.`inferred:boolean`),
    n.`jurisdiction` = row.`jurisdiction`,
    n.`name` = row.`name`,
    n.`names_ja` = row.`names_ja`,
    n.`names_zh` = row.`names_zh`,
    n.`sources` = split(row.`sources:string[]`, '|'),
    n.`start` = row.`start`,
    n.`type` = row.`type`,
    n.`type_label` = row.`type_label`;

LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row
WITH row WHERE row.`:LABEL` = 'Entity|InvestorGroup'
MERGE (n:`Entity`:`InvestorGroup` {id: row.`id:ID`})
SET n.`aliases` = split(row.`aliases:string[]`, '|'),
    n.`description` = row.`description`,
    n.`distinct_from` = split(row.`distinct_from:string[]`, '|'),
    n.`end` = row.`end`,
    n.`facts` = row.`facts`,
    n.`inferred` = toBoolean(row.`inferred:boolean`),
    n.`jurisdiction` = row.`jurisdiction`,
    n.`name` = row.`name`,
    n.`names_ja` = row.`names_ja`,
    n.`names_zh` = row.`names_zh`,
    n.`sources` = split(row.`sources:string[]`, '|'),
    n.`start` = row.`start`,
    n.`type` = row.`type`,
    n.`type_label` = row.`type_label`;

LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row
WITH row WHERE row.`:LABEL` = 'Entity|Jurisdiction'
MERGE (n:`Entity`:`Jurisdiction` {id: row.`id:ID`})
SET n.`aliases` = split(row.`aliases:string[]`, '|'),
    n.`description` = row.`description`,
    n.`distinct_from` = split(row.`distinct_from:string[]`, '|'),
    n.`end` = row.`end`,
    n.`facts` = row.`facts`,
    n.`inferred` = toBoolean(row.`inferred:boolean`),
    n.`jurisdiction` = row.`jurisdiction`,
    n.`name` = row.`name`,
    n.`names_ja` = row.`names_ja`,
    n.`names_zh` = row.`names_zh`,
    n.`sources` = split(row.`sources:string[]`, '|'),
    n.`start` = row.`start`,
    n.`type` = row.`type`,
    n.`type_label` = row.`type_label`;

LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row
WITH row WHERE row.`:LABEL` = 'Entity|Law'
MERGE (n:`Entity`:`Law` {id: row.`id:ID`})
SET n.`aliases` = split(row.`aliases:string[]`, '|'),
    n.`description` = row.`description`,
    n.`distinct_from` = split(row.`distinct_from:string[]`, '|'),
    n.`end` = row.`end`,
    n.`facts` = row.`facts`,
    n.`inferred` = toBoolean(row.`inferred:boolean`),
    n.`jurisdiction` = row.`jurisdiction`,
    n.`name` = row.`name`,
    n.`names_ja` = row.`names_ja`,
    n.`names_zh` = row.`names_zh`,
    n.`sources` = split(row.`sources:string[]`, '|'),
    n.`start` = row.`start`,
    n.`type` = row.`type`,
    n.`type_label` = row.`type_label`;

LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row
WITH row WHERE row.`:LABEL` = 'Entity|Organization'
MERGE (n:`Entity`:`Organization` {id: row.`id:ID`})
SET n.`aliases` = split(row.`aliases:string[]`, '|'),
    n.`description` = row.`description`,
    n.`distinct_from` = split(row.`distinct_from:string[]`, '|'),
    n.`end` = row.`end`,
    n.`facts` = row.`facts`,
    n.`inferred` = toBoolean(row.`inferred:boolean`),
    n.`jurisdiction` = row.`jurisdiction`,
    n.`name` = row.`name`,
    n.`names_ja` = row.`names_ja`,
    n.`names_zh` = row.`names_zh`,
    n.`sources` = split(row.`sources:string[]`, '|'),
    n.`start` = row.`start`,
    n.`type` = row.`type`,
    n.`type_label` = row.`type_label`;

LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row
WITH row WHERE row.`:LABEL` = 'Entity|Partnership'
MERGE (n:`Entity`:`Partnership` {id: row.`id:ID`})
SET n.`aliases` = split(row.`aliases:string[]`, '|'),
    n.`description` = row.`description`,
    n.`distinct_from` = split(row.`distinct_from:string[]`, '|'),
    n.`end` = row.`end`,
    n.`facts` = row.`facts`,
    n.`inferred` = toBoolean(row.`inferred:boolean`),
    n.`jurisdiction` = row.`jurisdiction`,
    n.`name` = row.`name`,
    n.`names_ja` = row.`names_ja`,
    n.`names_zh` = row.`names_zh`,
    n.`sources` = split(row.`sources:string[]`, '|'),
    n.`start` = row.`start`,
    n.`type` = row.`type`,
    n.`type_label` = row.`type_label`;

LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row
WITH row WHERE row.`:LABEL` = 'Entity|PartyOrgan'
MERGE (n:`Entity`:`PartyOrgan` {id: row.`id:ID`})
SET n.`aliases` = split(row.`aliases:string[]`, '|'),
    n.`description` = row.`description`,
    n.`distinct_from` = split(row.`distinct_from:string[]`, '|'),
    n.`end` = row.`end`,
    n.`facts` = row.`facts`,
    n.`inferred` = toBoolean(row.`inferred:boolean`),
    n.`jurisdiction` = row.`jurisdiction`,
    n.`name` = row.`name`,
    n.`names_ja` = row.`names_ja`,
    n.`names_zh` = row.`names_zh`,
    n.`sources` = split(row.`sources:string[]`, '|'),
    n.`start` = row.`start`,
    n.`type` = row.`type`,
    n.`type_label` = row.`type_label`;

LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row
WITH row WHERE row.`:LABEL` = 'Entity|Person'
MERGE (n:`Entity`:`Person` {id: row.`id:ID`})
SET n.`aliases` = split(row.`aliases:string[]`, '|'),
    n.`description` = row.`description`,
    n.`distinct_from` = split(row.`distinct_from:string[]`, '|'),
    n.`end` = row.`end`,
    n.`facts` = row.`facts`,
    n.`inferred` = toBoolean(row.`inferred:boolean`),
    n.`jurisdiction` = row.`jurisdiction`,
    n.`name` = row.`name`,
    n.`names_ja` = row.`names_ja`,
    n.`names_zh` = row.`names_zh`,
    n.`sources` = split(row.`sources:string[]`, '|'),
    n.`start` = row.`start`,
    n.`type` = row.`type`,
    n.`type_label` = row.`type_label`;

LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row
WITH row WHERE row.`:LABEL` = 'Entity|Platform'
MERGE (n:`Entity`:`Platform` {id: row.`id:ID`})
SET n.`aliases` = split(row.`aliases:string[]`, '|'),
    n.`description` = row.`description`,
    n.`distinct_from` = split(row.`distinct_from:string[]`, '|'),
    n.`end` = row.`end`,
    n.`facts` = row.`facts`,
    n.`inferred` = toBoolean(row.`inferred:boolean`),
    n.`jurisdiction` = row.`jurisdiction`,
    n.`name` = row.`name`,
    n.`names_ja` = row.`names_ja`,
    n.`names_zh` = row.`names_zh`,
    n.`sources` = split(row.`sources:string[]`, '|'),
    n.`start` = row.`start`,
    n.`type` = row.`type`,
    n.`type_label` = row.`type_label`;

LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row
WITH row WHERE row.`:LABEL` = 'Entity|StateBody'
MERGE (n:`Entity`:`StateBody` {id: row.`id:ID`})
SET n.`aliases` = split(row.`aliases:string[]`, '|'),
    n.`description` = row.`description`,
    n.`distinct_from` = split(row.`distinct_from:string[]`, '|'),
    n.`end` = row.`end`,
    n.`facts` = row.`facts`,
    n.`inferred` = toBoolean(row.`inferred:boolean`),
    n.`jurisdiction` = row.`jurisdiction`,
    n.`name` = row.`name`,
    n.`names_ja` = row.`names_ja`,
    n.`names_zh` = row.`names_zh`,
    n.`sources` = split(row.`sources:string[]`, '|'),
    n.`start` = row.`start`,
    n.`type` = row.`type`,
    n.`type_label` = row.`type_label`;

LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row
WITH row WHERE row.`:LABEL` = 'Entity|UnknownParty'
MERGE (n:`Entity`:`UnknownParty` {id: row.`id:ID`})
SET n.`aliases` = split(row.`aliases:string[]`, '|'),
    n.`description` = row.`description`,
    n.`distinct_from` = split(row.`distinct_from:string[]`, '|'),
    n.`end` = row.`end`,
    n.`facts` = row.`facts`,
    n.`inferred` = toBoolean(row.`inferred:boolean`),
    n.`jurisdiction` = row.`jurisdiction`,
    n.`name` = row.`name`,
    n.`names_ja` = row.`names_ja`,
    n.`names_zh` = row.`names_zh`,
    n.`sources` = split(row.`sources:string[]`, '|'),
    n.`start` = row.`start`,
    n.`type` = row.`type`,
    n.`type_label` = row.`type_label`;

LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row
WITH row WHERE row.`:LABEL` = 'Entity|UserGroup'
MERGE (n:`Entity`:`UserGroup` {id: row.`id:ID`})
SET n.`aliases` = split(row.`aliases:string[]`, '|'),
    n.`description` = row.`description`,
    n.`distinct_from` = split(row.`distinct_from:string[]`, '|'),
    n.`end` = row.`end`,
    n.`facts` = row.`facts`,
    n.`inferred` = toBoolean(row.`inferred:boolean`),
    n.`jurisdiction` = row.`jurisdiction`,
    n.`name` = row.`name`,
    n.`names_ja` = row.`names_ja`,
    n.`names_zh` = row.`names_zh`,
    n.`sources` = split(row.`sources:string[]`, '|'),
    n.`start` = row.`start`,
    n.`type` = row.`type`,
    n.`type_label` = row.`type_label`;

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'ACQUIRED'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`ACQUIRED` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'ACTS_IN_CONCERT_WITH'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`ACTS_IN_CONCERT_WITH` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'APPLIES_TO'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`APPLIES_TO` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'AWARDED'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`AWARDED` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'BREACHED'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`BREACHED` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'CENSURED'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`CENSURED` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'COMPETES_WITH'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`COMPETES_WITH` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'CONTROLS'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`CONTROLS` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'CONTROLS_BY_CONTRACT'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`CONTROLS_BY_CONTRACT` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'COOPERATES_WITH'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`COOPERATES_WITH` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'DISTRIBUTES_PRODUCTS_OF'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`DISTRIBUTES_PRODUCTS_OF` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'ENFORCES_WITH'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`ENFORCES_WITH` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'EQUITY_PLEDGE'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`EQUITY_PLEDGE` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'EXAMPLE_OF'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`EXAMPLE_OF` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'EXCLUSIVE_OPTION'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`EXCLUSIVE_OPTION` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'EXCLUSIVE_SERVICES'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`EXCLUSIVE_SERVICES` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'FINED'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`FINED` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'FOUNDED'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`FOUNDED` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'GENERAL_PARTNER_OF'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`GENERAL_PARTNER_OF` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'HOLDS_LICENCE'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`HOLDS_LICENCE` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'INCORPORATED_IN'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`INCORPORATED_IN` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'INVESTED_IN'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`INVESTED_IN` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'INVESTIGATED'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`INVESTIGATED` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'ISSUED'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`ISSUED` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'JOINT_VENTURE_WITH'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`JOINT_VENTURE_WITH` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'LENDS_TO'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`LENDS_TO` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'LICENSES'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`LICENSES` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'LIMITED_PARTNER_OF'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`LIMITED_PARTNER_OF` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'LISTED_AS_NOTORIOUS'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`LISTED_AS_NOTORIOUS` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'LISTED_ON'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`LISTED_ON` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'LOAN_TO_NOMINEE'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`LOAN_TO_NOMINEE` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'MAY_NOT_ENFORCE'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`MAY_NOT_ENFORCE` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'MEMBER_OF'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`MEMBER_OF` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'MERGED_INTO'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`MERGED_INTO` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'OFFICER_OF'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`OFFICER_OF` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'OPERATES'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`OPERATES` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'OPERATES_IN'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`OPERATES_IN` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'OWNS'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`OWNS` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'PARTICIPATED_IN'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`PARTICIPATED_IN` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'PARTNERS_WITH'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`PARTNERS_WITH` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'PARTY_BRANCH_OF'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`PARTY_BRANCH_OF` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'REGULATES'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`REGULATES` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'RENAMED_TO'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`RENAMED_TO` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'SERVES'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`SERVES` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'SPUN_OFF'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`SPUN_OFF` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'SUMMONED'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`SUMMONED` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'SUPPORTS'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`SUPPORTS` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'SUSPENDED'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`SUSPENDED` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'USES'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`USES` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'VETO_OVER'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`VETO_OVER` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'VOTING_PROXY'
MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})
MERGE (a)-[r:`VOTING_PROXY` {id: row.id}]->(b)
SET r.`amount_approximate` = toBoolean(row.`amount_approximate:boolean`),
    r.`amount_currency` = row.`amount_currency`,
    r.`amount_unit` = row.`amount_unit`,
    r.`amount_value` = toFloat(row.`amount_value:double`),
    r.`as_of` = row.`as_of`,
    r.`category` = row.`category`,
    r.`end` = row.`end`,
    r.`equity_approximate` = toBoolean(row.`equity_approximate:boolean`),
    r.`equity_max` = toFloat(row.`equity_max:double`),
    r.`equity_min` = toFloat(row.`equity_min:double`),
    r.`equity_value` = toFloat(row.`equity_value:double`),
    r.`inferred` = toBoolean(row.`inferred:boolean`),
    r.`instruments` = split(row.`instruments:string[]`, '|'),
    r.`label` = row.`label`,
    r.`law` = row.`law`,
    r.`note` = row.`note`,
    r.`role` = row.`role`,
    r.`sources` = split(row.`sources:string[]`, '|'),
    r.`start` = row.`start`,
    r.`supersedes` = split(row.`supersedes:string[]`, '|'),
    r.`type` = row.`type`,
    r.`votes_value` = toFloat(row.`votes_value:double`);
