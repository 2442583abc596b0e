// Differential oracle for chain-lite's transaction code: @ethereumjs/tx, pinned in package.json.
// Reads one JSON request per line on stdin, answers one JSON line each on stdout:
//   {"op":"decode","raw":"0x..","chainId":"N"}  -> the fields, sender and hash, or {"error":..}
//   {"op":"sign","tx":{...},"privateKey":"0x.."} -> {"raw":"0x.."}
import { createInterface } from 'node:readline'
import { createTx, createTxFromRLP } from '@ethereumjs/tx'
import { Mainnet, createCustomCommon } from '@ethereumjs/common'
import { bytesToHex, hexToBytes } from '@ethereumjs/util'

const commons = new Map()
function common(chainId) {
  const key = String(chainId)
  if (!commons.has(key)) {
    // createCustomCommon deep-copies its config through JSON, so the chain id goes in as a Number
    // (exact below 2^53, which the tests stay under).
    commons.set(key, createCustomCommon({ chainId: Number(chainId) }, Mainnet, { hardfork: 'london' }))
  }
  return commons.get(key)
}

const str = (v) => (v === undefined || v === null ? null : v.toString())

function describe(tx) {
  const out = {
    type: tx.type,
    chainId: str(tx.common.chainId()),
    nonce: str(tx.nonce),
    gasLimit: str(tx.gasLimit),
    to: tx.to === undefined ? null : tx.to.toString(),
    value: str(tx.value),
    data: bytesToHex(tx.data),
    v: str(tx.v),
    r: str(tx.r),
    s: str(tx.s),
    from: tx.getSenderAddress().toString(),
    hash: bytesToHex(tx.hash()),
  }
  if (tx.type === 2) {
    out.maxFeePerGas = str(tx.maxFeePerGas)
    out.maxPriorityFeePerGas = str(tx.maxPriorityFeePerGas)
    out.accessList = tx.accessList.map(([address, keys]) => [bytesToHex(address), keys.map(bytesToHex)])
  } else {
    out.gasPrice = str(tx.gasPrice)
  }
  return out
}

function handle(request) {
  if (request.op === 'decode') {
    return describe(createTxFromRLP(hexToBytes(request.raw), { common: common(request.chainId) }))
  }
  if (request.op === 'sign') {
    const t = request.tx
    const data = {
      type: t.type, nonce: BigInt(t.nonce), gasLimit: BigInt(t.gasLimit), to: t.to ?? undefined,
      value: BigInt(t.value), data: t.data,
    }
    if (t.type === 2) {
      data.chainId = BigInt(t.chainId)
      data.maxFeePerGas = BigInt(t.maxFeePerGas)
      data.maxPriorityFeePerGas = BigInt(t.maxPriorityFeePerGas)
      data.accessList = t.accessList.map(([address, keys]) => ({ address, storageKeys: keys }))
    } else {
      data.gasPrice = BigInt(t.gasPrice)
    }
    const tx = createTx(data, { common: common(t.chainId) })
    return { raw: bytesToHex(tx.sign(hexToBytes(request.privateKey)).serialize()) }
  }
  return { error: 'unknown op ' + request.op }
}

const lines = createInterface({ input: process.stdin })
for await (const line of lines) {
  if (!line.trim()) continue
  let answer
  try {
    answer = handle(JSON.parse(line))
  } catch (e) {
    answer = { error: String(e && e.message ? e.message : e) }
  }
  process.stdout.write(JSON.stringify(answer) + '\n')
}
