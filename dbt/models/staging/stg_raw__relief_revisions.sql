-- Every revision of every relief disbursement batch, dated by the day its file was received.
with source as (
    select * from {{ source('raw', 'relief') }}
),

renamed as (
    select
        disbursement_id,
        disbursed_on,
        region_code,
        fund_source as fund_source_code,
        program as program_code,
        disaster_id,
        cast(coalesce(households, 0) as integer) as households,
        cast(persons as integer) as persons,
        cast(amount as decimal(18, 2)) as amount_yuan,
        fund_year,
        _load_id as load_id,
        _file_name as file_name,
        _row_number as source_row_number,
        _loaded_at as loaded_at
    from source
)

{{ revision_history('renamed', ['disbursement_id']) }}
